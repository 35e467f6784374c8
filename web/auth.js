// Sign in (signin.html) and sign up (signup.html): POST /v1/auth/login or /v1/auth/signup,
// keep the token (ClipThat.setToken) and go to ?next= (a path on this site only) or the dashboard.
"use strict";

document.addEventListener("alpine:init", () => {
  Alpine.data("auth", () => ({
    email: "",
    password: "",
    error: "",
    busy: false,
    mode: "signin",

    init() {
      this.mode = this.$el.dataset.mode;
      // Keep ?next= when switching between sign in and sign up.
      const next = ClipThat.param("next");
      const other = document.getElementById("other-link");
      if (next && other) other.href = other.getAttribute("href") + "?next=" + encodeURIComponent(next);
    },

    async submit() {
      this.error = "";
      this.busy = true;
      const path = this.mode === "signup" ? "/v1/auth/signup" : "/v1/auth/login";
      try {
        const answer = await ClipThat.request("POST", path,
                                              { email: this.email, password: this.password },
                                              { noRedirect: true });
        ClipThat.setToken(answer.token);
        location.assign(ClipThat.safeNext(ClipThat.param("next")));
      } catch (err) {
        this.error = this.explain(err);
      } finally {
        this.busy = false;
      }
    },

    explain(err) {
      if (err.status === 401) return "That e-mail and password do not match an account.";
      if (err.status === 429) return "Too many attempts: wait a moment and try again. (" + err.message + ")";
      if (err.status === 409) return "An account with this e-mail already exists: sign in instead.";
      return ClipThat.describe(err);
    },
  }));
});

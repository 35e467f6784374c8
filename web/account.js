// The account page: e-mail, password change, API keys (create: shown once; list; revoke).
"use strict";

function whenText(ms) { return ms ? new Date(ms).toLocaleString() : "never"; }

document.addEventListener("alpine:init", () => {
  Alpine.data("account", () => ({
    email: "",
    loadError: "",
    currentPassword: "",
    newPassword: "",
    passwordBusy: false,
    passwordOk: "",
    passwordError: "",
    keys: [],
    keyName: "",
    keyBusy: false,
    keyError: "",
    newKey: "",
    copied: "",

    async init() {
      try {
        const me = await ClipThat.requireUser();
        this.email = me.email;
        await this.loadKeys();
      } catch (err) {
        if (err.status !== 401) this.loadError = "Could not load your account: " + ClipThat.describe(err);
      }
    },

    async loadKeys() {
      const page = await ClipThat.request("GET", "/v1/keys");
      this.keys = page.items.map((k) => ({
        id: k.id, name: k.name, prefix: k.prefix + "…",
        created: whenText(k.created_at_ms), lastUsed: whenText(k.last_used_at_ms),
      }));
    },

    async changePassword() {
      this.passwordOk = this.passwordError = "";
      if (this.newPassword.length < 8) { this.passwordError = "The new password needs at least 8 characters."; return; }
      this.passwordBusy = true;
      try {
        await ClipThat.request("POST", "/v1/me/password",
                               { current_password: this.currentPassword, new_password: this.newPassword },
                               { noRedirect: true });
        this.passwordOk = "Your password is changed.";
        this.currentPassword = this.newPassword = "";
      } catch (err) {
        if (err.status === 404) this.passwordError = "Changing the password is not available on this server yet.";
        else if (err.status === 401 || err.status === 403 || /^current_password:/.test(err.message)) {
          this.passwordError = "The current password is not right.";
        } else if (/^new_password:/.test(err.message)) {
          this.passwordError = "The new password " + err.message.replace(/^new_password:\s*/, "") + ".";
        } else {
          this.passwordError = ClipThat.describe(err);
        }
      } finally {
        this.passwordBusy = false;
      }
    },

    async createKey() {
      this.keyError = "";
      this.keyBusy = true;
      try {
        const key = await ClipThat.request("POST", "/v1/keys", { name: this.keyName.trim() });
        this.newKey = key.key;
        this.copied = "";
        this.keyName = "";
        await this.loadKeys();
      } catch (err) {
        this.keyError = "Could not create the key: " + ClipThat.describe(err);
      } finally {
        this.keyBusy = false;
      }
    },

    async copyKey() {
      try {
        await navigator.clipboard.writeText(this.newKey);
        this.copied = "Copied.";
      } catch (_) {
        // No clipboard permission: select the text so the user can copy it.
        const range = document.createRange();
        range.selectNodeContents(document.getElementById("new-key-value"));
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        this.copied = "Selected: press Ctrl+C (⌘C) to copy.";
      }
    },

    hideKey() { this.newKey = ""; this.copied = ""; },

    async revoke(key) {
      if (!window.confirm("Revoke the key " + key.name + "? Programs using it stop working.")) return;
      this.keyError = "";
      try {
        await ClipThat.request("DELETE", "/v1/keys/" + encodeURIComponent(key.id));
        await this.loadKeys();
      } catch (err) {
        this.keyError = "Could not revoke the key: " + ClipThat.describe(err);
      }
    },
  }));
});

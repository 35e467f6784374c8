// The landing page: signed in already (a token is kept) → the dashboard.
"use strict";
if (ClipThat.token()) location.replace("/dashboard.html");

// The demo page's "Your data" panel: what the local Personicle stand-in stored for the signed-in user.
// Its address comes from ?store=<url> or the section's data-store-url (python -m devtools.personicle_store).
"use strict";

(function yourData() {
  const section = document.getElementById("your-data");
  const frame = document.getElementById("your-data-frame");
  const store = new URLSearchParams(location.search).get("store") || section.dataset.storeUrl;

  function follow() {
    const user = document.body.dataset.user;
    section.hidden = !user;
    const wanted = user ? `${store.replace(/\/$/, "")}/?user=${encodeURIComponent(user)}` : "about:blank";
    if (frame.getAttribute("src") !== wanted) frame.setAttribute("src", wanted);
  }

  new MutationObserver(follow).observe(document.body, { attributes: true, attributeFilter: ["data-user"] });
  document.getElementById("your-data-reload").addEventListener("click", () => frame.contentWindow.location.reload());
  follow();
})();

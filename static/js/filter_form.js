// A filter form always shows the filters of the page's own address. Back and Forward may bring
// the page back from the browser's memory as it was left, with what was typed or chosen since
// (the back/forward cache, which autocomplete="off" does not stop): put the page's own values
// back. form.reset() returns each field to the value the server rendered from the address.
(function () {
  "use strict";

  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    document.querySelectorAll("form.filter-form").forEach((form) => form.reset());
  });
})();

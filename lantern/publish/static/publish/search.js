// The static site's search page: Pagefind's interface, with results linked from the
// site's root wherever the site is hosted, and ?q= searched at once. A file of its
// own (not an inline script) so the page works under a Content-Security-Policy.
(function () {
  var root = new URL("../", window.location.href).pathname;
  var ui = new PagefindUI({ element: "#search", baseUrl: root, showImages: false, showSubResults: true, autofocus: true });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { ui.triggerSearch(q); }
})();

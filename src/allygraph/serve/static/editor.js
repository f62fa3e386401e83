// Small progressive enhancement of the query editor: Ctrl/Cmd+Enter runs the query.
// The page works without it.
(function () {
  var area = document.getElementById("query");
  if (!area) return;
  area.addEventListener("keydown", function (ev) {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") {
      ev.preventDefault();
      area.form.submit();
    }
  });
})();

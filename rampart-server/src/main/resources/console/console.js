// Keyboard: "g q" goes to the queue; "/" focuses the first filter. Kept tiny and dependency-free.
(function () {
  let pending = null;
  document.addEventListener("keydown", function (e) {
    const t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    if (pending === "g" && e.key === "q") { window.location.href = "/"; }
    if (pending === "g" && e.key === "s") { window.location.href = "/search"; }
    if (pending === "g" && e.key === "d") { window.location.href = "/dashboard"; }
    if (pending === "g" && e.key === "a") { window.location.href = "/alerts"; }
    if (e.key === "/") {
      const f = document.querySelector(".filters select");
      if (f) { e.preventDefault(); f.focus(); }
    }
    pending = e.key === "g" ? "g" : null;
  });
})();

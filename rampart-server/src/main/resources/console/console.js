// The console's only script: keyboard moves, the alert list's checkboxes, and the dashboard
// chart. No inline scripts anywhere (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  let pending = null;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("tr.alert-row"));
  }

  function move(step) {
    const all = rows();
    if (all.length === 0) return;
    const at = all.indexOf(document.activeElement);
    const next = all[Math.max(0, Math.min(all.length - 1, at < 0 ? 0 : at + step))];
    next.focus();
  }

  document.addEventListener("keydown", function (e) {
    const t = e.target;
    if (t && (t.tagName === "INPUT" && t.type !== "checkbox" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (pending === "g") {
      const go = { q: "/", s: "/search", d: "/dashboard", a: "/alerts", r: "/rules", v: "/vulnerabilities", t: "/settings" }[e.key];
      pending = null;
      if (go) { window.location.href = go; return; }
    }
    if (e.key === "g") { pending = "g"; return; }
    if (e.key === "/") {
      const f = document.querySelector("#q, .filters select");
      if (f) { e.preventDefault(); f.focus(); }
    } else if (e.key === "j") {
      move(1);
    } else if (e.key === "k") {
      move(-1);
    } else if ((e.key === "x" || e.key === " ") && document.activeElement && document.activeElement.classList.contains("alert-row")) {
      e.preventDefault();
      const box = document.activeElement.querySelector("input[type=checkbox]");
      if (box) box.checked = !box.checked;
    } else if (e.key === "a") {
      const ack = document.getElementById("acknowledge");
      if (ack && document.querySelector("tr.alert-row input:checked")) ack.click();
    }
  });

  document.addEventListener("change", function (e) {
    if (e.target && e.target.id === "check-all") {
      rows().forEach(function (r) {
        const box = r.querySelector("input[type=checkbox]");
        if (box) box.checked = e.target.checked;
      });
    }
  });

  // A stacked bar chart from the JSON a page carries beside it ({x: [...], series: {name: [...]}}).
  const COLORS = { informational: "#8b95a3", unknown: "#8b95a3", none: "#5c6370", low: "#7bd389", medium: "#ffd166", high: "#ff9f43", critical: "#ff5d5d" };
  function stackedBars(chartId, dataId, xKey) {
    const el = document.getElementById(chartId);
    const data = document.getElementById(dataId);
    if (!el || !data || !window.echarts) return;
    const d = JSON.parse(data.textContent);
    const dark = !window.matchMedia("(prefers-color-scheme: light)").matches;
    el.classList.add("on");
    const chart = window.echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
    chart.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 24 },
      xAxis: { type: "category", data: d[xKey] },
      yAxis: { type: "value", minInterval: 1 },
      series: Object.keys(d.series).reverse().map(function (name) {
        return { name: name, type: "bar", stack: "all", data: d.series[name], itemStyle: { color: COLORS[name] } };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  window.addEventListener("load", function () {
    stackedBars("alerts-chart", "alerts-chart-data", "hours"); // dashboard: alerts per hour by level
    stackedBars("vuln-chart", "vuln-chart-data", "days"); // patch SLAs: open findings per day
    stackedBars("entity-chart", "entity-chart-data", "times"); // a host's or user's events
    stackedBars("backtest-chart", "backtest-chart-data", "days"); // a rule's matches per day
  });
})();

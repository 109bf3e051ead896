// What every page's charts share (ECharts from our own static files; includes/charts_script.html loads both
// before the page's own script). A page's script calls shegongCharts(id of its data block, draw): once the page
// is read, draw(data, chart) gets the data of the <script type="application/json"> block (the CSP allows no
// inline script) and chart(id of an element, ECharts option), which draws a chart there if the page has that
// element and returns it. Every chart follows the window's size; the page is marked data-charts-ready after.
(function () {
  "use strict";

  function shegongCharts(sourceId, draw) {
    function run() {
      var source = document.getElementById(sourceId);
      if (!source || typeof echarts === "undefined") { return; }
      var charts = [];
      draw(JSON.parse(source.textContent), function chart(elementId, option) {
        var element = document.getElementById(elementId);
        if (!element) { return null; }
        var drawn = echarts.init(element);
        drawn.setOption(option);
        charts.push(drawn);
        return drawn;
      });
      window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
      document.documentElement.setAttribute("data-charts-ready", "1");
    }

    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); } else { run(); }
  }

  window.shegongCharts = shegongCharts;
})();

// The community figures' chart (ECharts from our own static files). The data comes from the
// <script type="application/json" id="community-chart-data"> block; the CSP allows no inline script.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("community-chart-data");
    var element = document.getElementById("chart-months");
    if (!source || !element || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.held, data.labels.beneficiaries] },
      grid: { left: 48, right: 48, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data.months },
      yAxis: [{ type: "value" }, { type: "value" }],
      series: [
        { name: data.labels.held, type: "bar", data: data.held },
        { name: data.labels.beneficiaries, type: "line", yAxisIndex: 1, data: data.beneficiaries }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    document.documentElement.setAttribute("data-charts-ready", "1");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

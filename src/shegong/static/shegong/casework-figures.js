// The casework figures' charts (ECharts from our own static files). The data comes from the
// <script type="application/json" id="casework-chart-data"> block; the CSP allows no inline script.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("casework-chart-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    var months = document.getElementById("chart-months");
    if (months) {
      var m = echarts.init(months);
      m.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 8, bottom: 8, top: 16, containLabel: true },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value" },
        series: [{ name: data.labels.personTimes, type: "bar", data: data.personTimes }]
      });
      charts.push(m);
    }
    var stages = document.getElementById("chart-stages");
    if (stages) {
      var s = echarts.init(stages);
      s.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 8, bottom: 8, top: 16, containLabel: true },
        xAxis: { type: "category", data: data.stages },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ name: data.labels.cases, type: "bar", data: data.stageCounts }]
      });
      charts.push(s);
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();

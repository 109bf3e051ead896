// The community figures' chart (static/shegong/charts.js) from the <script type="application/json"
// id="community-chart-data"> block: activities held (bars) and their beneficiaries (a line) a month.
(function () {
  "use strict";

  window.shegongCharts("community-chart-data", function (data, chart) {
    chart("chart-months", {
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
  });
})();

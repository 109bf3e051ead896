// The casework figures' charts (static/shegong/charts.js) from the <script type="application/json"
// id="casework-chart-data"> block: person-times a month and cases at each stage, one bar each.
(function () {
  "use strict";

  window.shegongCharts("casework-chart-data", function (data, chart) {
    function bars(elementId, categories, name, values, yAxis) {
      chart(elementId, {
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 8, bottom: 8, top: 16, containLabel: true },
        xAxis: { type: "category", data: categories },
        yAxis: yAxis,
        series: [{ name: name, type: "bar", data: values }]
      });
    }

    bars("chart-months", data.months, data.labels.personTimes, data.personTimes, { type: "value" });
    bars("chart-stages", data.stages, data.labels.cases, data.stageCounts, { type: "value", minInterval: 1 });
  });
})();

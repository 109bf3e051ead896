// The network dashboard's charts (static/shegong/charts.js) from the <script type="application/json"
// id="network-chart-data"> block the page renders. Clicking a bar or a tile opens that region's dashboard (or,
// for villages, its facility list).
(function () {
  "use strict";

  window.shegongCharts("network-chart-data", function (data, chart) {
    var rows = data.rows;
    var labels = data.labels;

    function open(params) {
      var row = rows[params.dataIndex];
      if (params.data && params.data.url) { window.location.href = params.data.url; }
      else if (row && row.url) { window.location.href = row.url; }
    }

    var names = rows.map(function (r) { return r.name; });
    var bar = chart("chart-bar", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 48, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: labels.coverage, type: "bar", data: rows.map(function (r) { return r.coverage; }) },
        { name: labels.operating, type: "bar", data: rows.map(function (r) { return r.operating; }) },
        { name: labels.village, type: "bar", data: rows.map(function (r) { return r.village; }) }
      ]
    });
    if (bar) { bar.on("click", open); }

    var tree = chart("chart-treemap", {
      tooltip: {
        formatter: function (info) {
          var d = info.data;
          return d.name + "<br>" + labels.treemap + ": " + d.value[0] +
            (d.coverage === null ? "" : "<br>" + labels.coverage + ": " + d.coverage + "%");
        }
      },
      visualMap: { show: false, min: 0, max: 100, dimension: 1, inRange: { color: ["#f4d35e", "#8fbc8f", "#2e7d32"] } },
      series: [{
        type: "treemap",
        name: labels.treemap,
        roam: false,
        nodeClick: false,
        breadcrumb: { show: false },
        label: { formatter: function (info) { return info.name + "\n" + info.data.value[0]; } },
        data: rows.filter(function (r) { return r.stations > 0; }).map(function (r) {
          return { name: r.name, value: [r.stations, r.coverage === null ? 0 : r.coverage], coverage: r.coverage, url: r.url };
        })
      }]
    });
    if (tree) { tree.on("click", open); }
  });
})();

// The network dashboard's charts (ECharts, served from our own static files). The data comes from the
// <script type="application/json" id="network-chart-data"> block the page renders; the CSP allows no inline
// script. Clicking a bar or a tile opens that region's dashboard (or, for villages, its facility list).
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("network-chart-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var rows = data.rows;
    var labels = data.labels;
    var charts = [];

    function open(params) {
      var row = rows[params.dataIndex];
      if (params.data && params.data.url) { window.location.href = params.data.url; }
      else if (row && row.url) { window.location.href = row.url; }
    }

    var barElement = document.getElementById("chart-bar");
    if (barElement) {
      var bar = echarts.init(barElement);
      var names = rows.map(function (r) { return r.name; });
      bar.setOption({
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
      bar.on("click", open);
      charts.push(bar);
    }

    var treeElement = document.getElementById("chart-treemap");
    if (treeElement) {
      var tree = echarts.init(treeElement);
      tree.setOption({
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
      tree.on("click", open);
      charts.push(tree);
    }

    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    document.documentElement.setAttribute("data-charts-ready", "1");
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();

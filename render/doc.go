// Package render draws Steward's figures: it turns a metrics.Report into
// charts (ECharts option JSON built with go-echarts, wrapped in html/template
// so every data string is escaped), HTML tables, one CSV per table and an XLSX
// workbook. It never opens files and never sees raw rows: it returns bytes and
// HTML fragments for package site to assemble.
//
// Charts follow the safe pattern of docs/libraries.md: fixed chart ids,
// animation off, string formatters only, chart.Validate() then chart.JSON()
// placed by html/template into
//
//	<div class="chart" id="ID"></div>
//	<script>stewardChart("ID",OPT)</script>
//
// where stewardChart (ChartBoot, served as assets/steward.js) runs
// echarts.init(document.getElementById(id),null,{renderer:"svg"}).setOption(opt)
// and redraws every chart on resize and before printing. The page's
// Content-Security-Policy allows each inline script by its SHA-256.
//
// The JSON is written with HTML escaping on (so "</script>" becomes
// "\u003c/script>") and with every "__" escaped as "\u005f\u005f", so the
// go-echarts "__f__...__f__" function marker can never appear in a page.
package render

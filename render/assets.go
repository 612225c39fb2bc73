package render

import (
	_ "embed"
)

// EChartsVersion is the version of the vendored ECharts library.
const EChartsVersion = "5.6.0"

// EChartsSHA256 is the SHA-256 of the vendored echarts.min.js (see
// assets/README.md).
const EChartsSHA256 = "bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1"

//go:embed assets/echarts.min.js
var echartsJS []byte

//go:embed assets/LICENSE
var echartsLicense []byte

//go:embed assets/NOTICE
var echartsNotice []byte

// ECharts returns the vendored echarts.min.js. The caller must not modify it.
func ECharts() []byte { return echartsJS }

// EChartsLicense returns the Apache-2.0 LICENSE and NOTICE shipped with
// ECharts, to be copied next to the script.
func EChartsLicense() (license, notice []byte) { return echartsLicense, echartsNotice }

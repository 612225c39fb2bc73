// Command steward turns donor-database exports into a report on donor
// retention, thank-you latency and engagement funnels. See `steward --help`.
package main

import "os"

func main() { os.Exit(Main(os.Args, os.Stdout, os.Stderr)) }

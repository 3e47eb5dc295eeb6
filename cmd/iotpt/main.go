// Command iotpt lints, plans and compiles AWS IoT Core provisioning
// templates. Run "iotpt help" for the commands.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

package hook_test

import (
	"context"
	"fmt"
	"os"

	"github.com/iotpt/iotpt/examples/hook"
)

// The hook, fed with the fleet provisioning example's template.
func Example() {
	body, err := os.ReadFile("../fleet-provisioning/template.json")
	if err != nil {
		panic(err)
	}
	h, err := hook.New(body, func(format string, args ...any) { fmt.Printf(format+"\n", args...) })
	if err != nil {
		panic(err)
	}
	cert := "4f2a9d3c8b7e6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a10"
	for _, params := range []map[string]string{
		{"SerialNumber": "sn-42", "DeviceLocation": "Dublin"},
		{"SerialNumber": "SN43", "DeviceLocation": "Oslo"},
	} {
		resp, _ := h.Handle(context.Background(), hook.Event{ClientID: "device-" + params["SerialNumber"], CertificateID: cert, Parameters: params})
		fmt.Printf("%+v\n", resp)
	}
	// Output:
	// allowing client device-sn-42 as thing sensor_SN-42
	// {AllowProvisioning:true ParameterOverrides:map[SerialNumber:SN-42]}
	// refusing client device-SN43: template.json:38:48: error PT242: Fn::FindInMap: map "LocationTable" has no key "Oslo" (it has "Dublin", "Seattle", "Tokyo"); provisioning fails
	// refusing client device-SN43: template.json:85:42: error PT242: Fn::FindInMap: map "LocationTable" has no key "Oslo" (it has "Dublin", "Seattle", "Tokyo"); provisioning fails
	// {AllowProvisioning:false ParameterOverrides:map[]}
}

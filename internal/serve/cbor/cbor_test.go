package cbor

import (
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Examples from RFC 8949 appendix A, in the JSON data model.
func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		hex  string
		want string // JSON
	}{
		{"00", "0"}, {"17", "23"}, {"1864", "100"}, {"1a000f4240", "1000000"}, {"20", "-1"}, {"3903e7", "-1000"},
		{"f93c00", "1"}, {"f9c400", "-4"}, {"fa47c35000", "100000"}, {"fb3ff199999999999a", "1.1"},
		{"f4", "false"}, {"f5", "true"}, {"f6", "null"},
		{"60", `""`}, {"6449455446", `"IETF"`}, {"62c3bc", `"ü"`}, {"4401020304", `"AQIDBA=="`},
		{"83010203", "[1,2,3]"}, {"a201020304", ""}, {"a26161016162820203", `{"a":1,"b":[2,3]}`},
		{"9f018202039f0405ffff", "[1,[2,3],[4,5]]"}, {"bf61610161629f0203ffff", `{"a":1,"b":[2,3]}`},
		{"7f657374726561646d696e67ff", `"streaming"`}, {"c074323031332d30332d32315432303a30343a30305a", `"2013-03-21T20:04:00Z"`},
	} {
		data, _ := hex.DecodeString(tc.hex)
		got, err := Decode(data)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%s: no error for a non-text map key", tc.hex)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.hex, err)
			continue
		}
		var want any
		if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.hex, diff)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, h := range []string{"", "18", "62c3", "9f01", "a1", "0000", "ff", "1c", "f97e00", "f8ff", "62c328", "5f4101", "c4"} {
		data, _ := hex.DecodeString(h)
		if v, err := Decode(data); err == nil {
			t.Errorf("%q: decoded %v, want an error", h, v)
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	var v any
	if err := json.Unmarshal([]byte(`{"thingName":"dev-1","deviceConfiguration":{"a":"b","n":[1,-2,2.5,true,null,"x"]},"statusCode":400}`), &v); err != nil {
		t.Fatal(err)
	}
	b, err := Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(v, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if h := hex.EncodeToString(mustEncode(t, map[string]any{"a": 1.0, "b": []any{2.0, 3.0}})); h != "a26161016162820203" {
		t.Errorf("encoding %s", h)
	}
}

func mustEncode(t *testing.T, v any) []byte {
	b, err := Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzDecode: any input decodes or fails, never panics, and what decodes
// encodes back to the same value.
func FuzzDecode(f *testing.F) {
	for _, h := range []string{"a26161016162820203", "9f018202039f0405ffff", "bf61610161629f0203ffff", "7f657374726561646d696e67ff", "fb3ff199999999999a", "c074323031332d30332d32315432303a30343a30305a"} {
		b, _ := hex.DecodeString(h)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data)
		if err != nil {
			return
		}
		b, err := Encode(v)
		if err != nil {
			t.Fatalf("decoded %v but cannot encode it: %v", v, err)
		}
		again, err := Decode(b)
		if err != nil {
			t.Fatalf("re-decoding %x: %v", b, err)
		}
		if diff := cmp.Diff(v, again); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}

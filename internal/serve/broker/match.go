package broker

import "strings"

// MatchFilter reports whether an MQTT topic filter (with + and #) matches
// a topic name. A filter starting with a wildcard does not match a topic
// starting with $ (MQTT 3.1.1 section 4.7.2).
func MatchFilter(filter, topic string) bool {
	if strings.HasPrefix(topic, "$") && (strings.HasPrefix(filter, "+") || strings.HasPrefix(filter, "#")) {
		return false
	}
	for {
		f, frest, fmore := strings.Cut(filter, "/")
		t, trest, tmore := strings.Cut(topic, "/")
		switch {
		case f == "#":
			return true
		case f != "+" && f != t:
			return false
		case !fmore && !tmore:
			return true
		case !fmore:
			return false
		case !tmore:
			// "a/#" matches "a" as well.
			return frest == "#"
		}
		filter, topic = frest, trest
	}
}

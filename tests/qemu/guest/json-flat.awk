# SPDX-License-Identifier: GPL-2.0-only
# json-flat.awk: pretty-printed JSON (one member per line, as serde_json and
# so mdevctl --dumpjson print it) as lines "<key>/<key>/.../<member>=<value>",
# strings without their quotes, e.g.
#   migver0/migver-GVTg_V5_8/available_instances=8
# Objects inside arrays add no key of their own.  Enough for mdevctl's
# output in busybox awk; not a general JSON parser.
function strip(v) {
	sub(/,$/, "", v)
	if (v ~ /^".*"$/)
		v = substr(v, 2, length(v) - 2)
	return v
}
match($0, /^ *"/) {
	ind = RLENGTH - 1
	rest = substr($0, RLENGTH + 1)
	k = rest
	sub(/".*/, "", k)
	v = rest
	sub(/^[^"]*": /, "", v)
	if (v == "[" || v == "{") {
		for (i in key)
			if (i + 0 >= ind)
				delete key[i]
		key[ind] = k
		next
	}
	path = ""
	for (i = 0; i < ind; i++)
		if (i in key)
			path = path key[i] "/"
	print path k "=" strip(v)
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The byte class table of charclass.h: which bytes the version-string
 * grammar allows where.
 */
#include "charclass.h"

#define C_09 (C_VIS | C_DIGIT | C_KEY | C_TYPE | C_API)
#define C_AZ (C_VIS | C_TYPE)
#define C_az (C_VIS | C_LOWER | C_KEY | C_TYPE | C_API)

const u8 migver_char_class[256] = {
	[0x21 ... 0x2c] = C_VIS, /* ! to , */
	['-'] = C_VIS | C_API,
	['.' ... '/'] = C_VIS, /* . / */
	['0' ... '9'] = C_09,
	[':' ... '@'] = C_VIS, /* : ; < = > ? @ */
	['A' ... 'Z'] = C_AZ,
	['[' ... '^'] = C_VIS, /* [ \ ] ^ */
	['_'] = C_VIS | C_KEY | C_TYPE,
	['`'] = C_VIS, /* ` */
	['a' ... 'z'] = C_az,
	['{' ... '~'] = C_VIS, /* { | } ~ */
};

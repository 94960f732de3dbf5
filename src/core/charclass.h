/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to src/core: the byte classes of the version-string grammar, one
 * table load per byte, shared by the parser and by the validation of facts
 * filled in by hand (which every strict check runs on both sides).
 */
#ifndef MIGVER_CORE_CHARCLASS_H
#define MIGVER_CORE_CHARCLASS_H

#include <migver/port.h>

#define C_VIS 0x01 /* 0x21-0x7e: allowed anywhere */
#define C_DIGIT 0x02
#define C_LOWER 0x04
#define C_KEY 0x08 /* a-z 0-9 _ */
#define C_TYPE 0x10 /* A-Z a-z 0-9 _ */
#define C_API 0x20 /* a-z 0-9 - */

extern const u8 migver_char_class[256];

static __always_inline u8 class_of(char c)
{
	return migver_char_class[(u8)c];
}

#endif /* MIGVER_CORE_CHARCLASS_H */

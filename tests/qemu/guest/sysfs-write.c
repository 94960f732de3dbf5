// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs-write: write a string to a file in ONE write(2) and print the
 * outcome as a word the scenario scripts can compare: "OK <bytes>" or the
 * errno name ("EINVAL", "EMEDIUMTYPE", ...).  busybox echo's error text is
 * not reliable enough for that.
 *
 *   sysfs-write [-e] FILE STRING
 *
 * -e interprets \n, \t, \\, \0 and \xHH in STRING (for malformed input:
 * NUL bytes, extra newlines, bytes outside ASCII).  Nothing is appended:
 * give the newline yourself if you want one.
 * Exit status: 0 when a result word was printed, 2 on usage errors.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAME(e) { e, #e }

static const struct {
	int err;
	const char *name;
} names[] = {
	NAME(EINVAL), NAME(EOPNOTSUPP), NAME(ENODEV), NAME(EMEDIUMTYPE),
	NAME(ERANGE), NAME(EEXIST), NAME(ENOSPC), NAME(EBUSY), NAME(ENOENT),
	NAME(EACCES), NAME(EPERM), NAME(ENOMEM), NAME(EFAULT), NAME(E2BIG),
	NAME(EIO), NAME(EAGAIN), NAME(ENXIO), NAME(ENOTTY), NAME(ENAMETOOLONG),
	NAME(EISDIR), NAME(ENOTDIR),
};

static const char *errname(int err)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

/* In place; returns the new length. */
static size_t unescape(char *s)
{
	char *out = s;
	const char *in = s;

	while (*in) {
		if (*in != '\\' || !in[1]) {
			*out++ = *in++;
			continue;
		}
		in++;
		switch (*in) {
		case 'n':
			*out++ = '\n';
			in++;
			break;
		case 't':
			*out++ = '\t';
			in++;
			break;
		case '0':
			*out++ = '\0';
			in++;
			break;
		case 'x':
			if (isxdigit((unsigned char)in[1]) &&
			    isxdigit((unsigned char)in[2])) {
				char hex[3] = { in[1], in[2], '\0' };

				*out++ = (char)strtoul(hex, NULL, 16);
				in += 3;
				break;
			}
			/* fall through */
		default:
			*out++ = *in++;
			break;
		}
	}
	return (size_t)(out - s);
}

int main(int argc, char **argv)
{
	int escapes = 0, fd;
	size_t len;
	ssize_t n;
	char *s;

	if (argc > 1 && !strcmp(argv[1], "-e")) {
		escapes = 1;
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: sysfs-write [-e] FILE STRING\n");
		return 2;
	}
	s = argv[2];
	len = escapes ? unescape(s) : strlen(s);

	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		printf("%s\n", errname(errno));
		return 0;
	}
	n = write(fd, s, len);
	if (n < 0)
		printf("%s\n", errname(errno));
	else
		printf("OK %zd\n", n);
	close(fd);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * binpatch: change one byte of a file, found relative to the first
 * occurrence of a string in it (the VMM scenarios break a saved
 * migration file on purpose, e.g. our stream header's major version).
 *
 *   binpatch <file> <string> <offset from its start> <byte, 0-255>
 *
 * Prints the file offset it changed.  Exit status: 0 done, 1 the string
 * is not in the file, 2 usage or I/O error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned char *buf, byte;
	size_t nlen, i;
	long delta;
	struct stat st;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: binpatch <file> <string> <offset> <byte>\n");
		return 2;
	}
	nlen = strlen(argv[2]);
	delta = strtol(argv[3], NULL, 0);
	byte = (unsigned char)strtoul(argv[4], NULL, 0);
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || fstat(fd, &st) || !nlen) {
		perror("binpatch");
		return 2;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || read(fd, buf, (size_t)st.st_size) != st.st_size) {
		perror("binpatch: read");
		return 2;
	}
	for (i = 0; i + nlen <= (size_t)st.st_size; i++) {
		if (memcmp(buf + i, argv[2], nlen))
			continue;
		if ((long)i + delta < 0 || (long)i + delta >= st.st_size ||
		    pwrite(fd, &byte, 1, (off_t)((long)i + delta)) != 1) {
			fprintf(stderr, "binpatch: cannot write at %ld\n",
				(long)i + delta);
			return 2;
		}
		printf("%ld\n", (long)i + delta);
		return close(fd) ? 2 : 0;
	}
	fprintf(stderr, "binpatch: '%s' not in %s\n", argv[2], argv[1]);
	return 1;
}

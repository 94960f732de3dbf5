// SPDX-License-Identifier: GPL-2.0-only
/*
 * qmp: send QMP commands to a QEMU and print its answers, for the VMM
 * scenarios (vmm.sh); no interactive monitor, no parsing by hand beyond
 * one line per answer.
 *
 *   qmp [-w <seconds>] <socket> <json command>...
 *   qmp [-w <seconds>] -E <socket>
 *
 * Connects to the unix socket (retrying for up to -w seconds, default 10,
 * while QEMU starts), reads the greeting, negotiates capabilities, then
 * sends each command in turn and prints its answer, one line each: the
 * {"return": ...} or {"error": ...} object as QEMU wrote it.  Events in
 * between are left out.  Exit status: 0 if every command returned, 2 if
 * one answered with an error, 1 on a connection or protocol failure (no
 * answer within 60 s, QEMU gone).
 * -E: print every event (one line each) until QEMU closes the connection
 * (or goes); for a second -qmp monitor that a scenario watches for STOP.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 20];
static size_t have;

/* One line of QEMU's output (without the newline) into line; 0 on EOF. */
static int read_line(int fd, char *line, size_t size)
{
	char *nl;
	ssize_t n;
	size_t len;

	while (!(nl = memchr(buf, '\n', have))) {
		if (have == sizeof(buf))
			return -1;
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n <= 0)
			return 0;
		have += (size_t)n;
	}
	len = (size_t)(nl - buf);
	if (len && buf[len - 1] == '\r')
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(line, buf, len);
	line[len] = '\0';
	have -= (size_t)(nl + 1 - buf);
	memmove(buf, nl + 1, have);
	return 1;
}

/* The answer to the last command: 0 return, 2 error, 1 failure. */
static int answer(int fd, int print)
{
	static char line[1 << 20];

	for (;;) {
		if (read_line(fd, line, sizeof(line)) <= 0) {
			fprintf(stderr, "qmp: no answer (QEMU gone or silent)\n");
			return 1;
		}
		if (!strncmp(line, "{\"return\"", 9) ||
		    !strncmp(line, "{\"error\"", 8)) {
			if (print)
				printf("%s\n", line);
			return line[2] == 'r' ? 0 : 2;
		}
		/* an event ({"timestamp": ..., "event": ...}): not an answer */
	}
}

static int send_line(int fd, const char *s)
{
	size_t len = strlen(s), off = 0;
	ssize_t n;

	while (off < len) {
		n = write(fd, s + off, len - off);
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return write(fd, "\n", 1) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct timeval tv = { .tv_sec = 60 };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static char greeting[1 << 16];
	double wait_s = 10;
	int fd = -1, i, rc = 0, r, events = 0;
	struct timespec t0, t;

	if (argc > 2 && !strcmp(argv[1], "-w")) {
		wait_s = atof(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc > 2 && !strcmp(argv[1], "-E")) {
		events = 1;
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: qmp [-w seconds] [-E] <socket> <json>...\n");
		return 1;
	}
	if (strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "qmp: socket path too long\n");
		return 1;
	}
	strcpy(sa.sun_path, argv[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0) {
			perror("qmp: socket");
			return 1;
		}
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		r = errno;
		close(fd);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec + (t.tv_nsec - t0.tv_nsec) / 1e9 >=
		    wait_s) {
			fprintf(stderr, "qmp: connect %s: %s\n", argv[1],
				strerror(r));
			return 1;
		}
		usleep(50000);
	}
	if (!events)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (read_line(fd, greeting, sizeof(greeting)) <= 0 ||
	    !strstr(greeting, "\"QMP\"")) {
		fprintf(stderr, "qmp: no QMP greeting\n");
		return 1;
	}
	if (send_line(fd, "{\"execute\": \"qmp_capabilities\"}") ||
	    answer(fd, 0)) {
		fprintf(stderr, "qmp: capabilities negotiation failed\n");
		return 1;
	}
	if (events) {
		setvbuf(stdout, NULL, _IOLBF, 0);
		while (read_line(fd, greeting, sizeof(greeting)) > 0)
			printf("%s\n", greeting);
		return 0;
	}
	for (i = 2; i < argc; i++) {
		if (send_line(fd, argv[i])) {
			fprintf(stderr, "qmp: write: %s\n", strerror(errno));
			return 1;
		}
		r = answer(fd, 1);
		if (r == 1)
			return 1;
		if (r)
			rc = r;
	}
	fflush(stdout);
	close(fd);
	return rc;
}

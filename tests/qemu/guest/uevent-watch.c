// SPDX-License-Identifier: GPL-2.0-only
/*
 * uevent-watch: run a command and list the kernel uevents sent while it ran,
 * as udev would have received them (no udev in the test initramfs).
 *
 *   uevent-watch CMD [ARGS...]
 *
 * A NETLINK_KOBJECT_UEVENT socket joins the kernel's multicast group before
 * CMD starts, so nothing CMD causes is missed: the kernel queues every
 * uevent on the socket synchronously, before the call that caused it
 * returns.  CMD's stdout and stderr pass through; afterwards one line per
 * uevent, in order:
 *
 *   UEVENT <action>@<devpath>[ MDEV_STATE=<value>]
 *
 * (MDEV_STATE is the mdev core's word to udev that a parent registered or
 * went: mdevctl's udev rule starts the parent's `define --auto` devices
 * on MDEV_STATE=registered.)
 * and "UEVENT-OVERFLOW" if the socket dropped any (never silently fewer).
 * A kernel without networking has no uevent socket: then CMD still runs
 * and the first line is "UEVENT-UNAVAILABLE <reason>".
 * Exit status: CMD's (0-255), 2 on usage or setup errors.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/netlink.h>

/* One message: its header and, if it has one, its MDEV_STATE. */
static void print_uevent(const char *msg, size_t len)
{
	static const char key[] = "MDEV_STATE=";
	const char *p;

	printf("UEVENT %s", msg);
	for (p = msg + strlen(msg) + 1; p < msg + len; p += strlen(p) + 1)
		if (!strncmp(p, key, sizeof(key) - 1))
			printf(" %s", p);
	printf("\n");
}

int main(int argc, char **argv)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int size = 4 << 20, sock, status;
	char buf[8192];
	ssize_t n;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: uevent-watch CMD [ARGS...]\n");
		return 2;
	}
	sock = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		      NETLINK_KOBJECT_UEVENT);
	/*
	 * Without CONFIG_NET there is no socket() at all (ENOSYS); without
	 * netlink, no such family or protocol.
	 */
	if (sock < 0 && (errno == ENOSYS || errno == EAFNOSUPPORT ||
			 errno == EPROTONOSUPPORT)) {
		printf("UEVENT-UNAVAILABLE %s\n", strerror(errno));
	} else if (sock < 0 ||
		   bind(sock, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("uevent-watch: netlink");
		return 2;
	} else if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &size,
			      sizeof(size))) {
		/* root: a buffer beyond rmem_max, so a burst of uevents fits */
		setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	}

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("uevent-watch: fork");
		return 2;
	}
	if (!pid) {
		execvp(argv[1], argv + 1);
		perror("uevent-watch: exec");
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid) {
		perror("uevent-watch: waitpid");
		return 2;
	}

	while (sock >= 0) {
		n = recv(sock, buf, sizeof(buf) - 1, MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			printf("UEVENT-OVERFLOW\n");
			continue;
		}
		if (n < 0)
			break;
		buf[n] = '\0';
		/* "<action>@<devpath>\0KEY=value\0..." */
		if (strchr(buf, '@'))
			print_uevent(buf, (size_t)n);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

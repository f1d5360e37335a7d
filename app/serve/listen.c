/* Socket hand-over between systemd, the keeper and the master. */
#include "listen.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../lib/str.h"

#define FIRST_FD 3

static bool is_listening(int fd)
{
	int v = 0;
	socklen_t n = sizeof(v);

	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &n) == 0 && v != 0;
}

static void forget(void)
{
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
}

enum err listen_inherited(int *gate_fd, int *console_fd, char *msg, size_t msglen)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	const char *names = getenv("LISTEN_FDNAMES");
	int64_t p, n, i;
	struct str rest, name;

	*gate_fd = *console_fd = -1;
	if (pid == NULL || fds == NULL) {
		snprintf(msg, msglen, "no sockets were passed (LISTEN_FDS)");
		return ERR_NOTFOUND;
	}
	if (str_to_i64(str_c(pid), 1, INT32_MAX, &p) != ERR_OK || p != (int64_t)getpid()) {
		forget();
		snprintf(msg, msglen, "LISTEN_PID is not this process");
		return ERR_NOTFOUND;
	}
	if (str_to_i64(str_c(fds), 1, 64, &n) != ERR_OK) {
		forget();
		snprintf(msg, msglen, "LISTEN_FDS is not a count of sockets");
		return ERR_INPUT;
	}
	rest = str_c(names != NULL ? names : "");
	for (i = 0; i < n; i++) {
		int fd = FIRST_FD + (int)i;

		str_cut(&rest, ':', &name);
		if (names == NULL)
			name = str_c(i == 0 ? "gate" : i == 1 ? "console" : "");
		if (str_eq_c(name, "gate"))
			*gate_fd = fd;
		else if (str_eq_c(name, "console"))
			*console_fd = fd;
		else
			continue;
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	forget();
	if (*gate_fd < 0 || *console_fd < 0 || !is_listening(*gate_fd) ||
	    !is_listening(*console_fd)) {
		snprintf(msg, msglen,
			 "the passed sockets must be two listening sockets named gate and console "
			 "(LISTEN_FDNAMES=gate:console)");
		return ERR_INPUT;
	}
	return ERR_OK;
}

bool listen_pass(int gate_fd, int console_fd)
{
	char pid[24];

	/* Move the console socket out of the way first if it sits where the gate's goes. */
	if (console_fd == FIRST_FD) {
		console_fd = fcntl(console_fd, F_DUPFD, FIRST_FD + 2);
		if (console_fd < 0)
			return false;
	}
	if ((gate_fd != FIRST_FD && dup2(gate_fd, FIRST_FD) < 0) ||
	    (console_fd != FIRST_FD + 1 && dup2(console_fd, FIRST_FD + 1) < 0))
		return false;
	fcntl(FIRST_FD, F_SETFD, 0);
	fcntl(FIRST_FD + 1, F_SETFD, 0);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	return setenv("LISTEN_PID", pid, 1) == 0 && setenv("LISTEN_FDS", "2", 1) == 0 &&
	       setenv("LISTEN_FDNAMES", "gate:console", 1) == 0;
}

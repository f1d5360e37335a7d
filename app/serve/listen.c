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

#define NFDS 3
static const char *const fd_names[NFDS] = {"gate", "console", "ai"};

enum err listen_inherited(struct listen_fds *fds, char *msg, size_t msglen)
{
	const char *pid = getenv("LISTEN_PID"), *nfds = getenv("LISTEN_FDS");
	const char *names = getenv("LISTEN_FDNAMES");
	int *slot[NFDS] = {&fds->gate, &fds->console, &fds->ai};
	int64_t p, n, i, j;
	struct str rest, name;

	fds->gate = fds->console = fds->ai = -1;
	if (pid == NULL || nfds == NULL) {
		snprintf(msg, msglen, "no sockets were passed (LISTEN_FDS)");
		return ERR_NOTFOUND;
	}
	if (str_to_i64(str_c(pid), 1, INT32_MAX, &p) != ERR_OK || p != (int64_t)getpid()) {
		forget();
		snprintf(msg, msglen, "LISTEN_PID is not this process");
		return ERR_NOTFOUND;
	}
	if (str_to_i64(str_c(nfds), 1, 64, &n) != ERR_OK) {
		forget();
		snprintf(msg, msglen, "LISTEN_FDS is not a count of sockets");
		return ERR_INPUT;
	}
	rest = str_c(names != NULL ? names : "");
	for (i = 0; i < n; i++) {
		int fd = FIRST_FD + (int)i;

		str_cut(&rest, ':', &name);
		if (names == NULL)
			name = str_c(i < NFDS ? fd_names[i] : "");
		for (j = 0; j < NFDS && !str_eq_c(name, fd_names[j]); j++)
			;
		if (j == NFDS)
			continue;
		*slot[j] = fd;
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	forget();
	for (j = 0; j < NFDS; j++)
		if ((*slot[j] < 0 && slot[j] != &fds->ai) ||
		    (*slot[j] >= 0 && !is_listening(*slot[j]))) {
			snprintf(msg, msglen,
				 "the passed sockets must be listening sockets named gate, console "
				 "and (optionally) ai (LISTEN_FDNAMES=gate:console:ai)");
			return ERR_INPUT;
		}
	return ERR_OK;
}

bool listen_pass(const struct listen_fds *fds)
{
	int from[NFDS] = {fds->gate, fds->console, fds->ai}, i, j;
	char pid[24];

	/* First every socket out of the way of fds 3..5, then each to its place. */
	for (i = 0; i < NFDS; i++)
		if (from[i] >= FIRST_FD && from[i] < FIRST_FD + NFDS) {
			int moved = fcntl(from[i], F_DUPFD, FIRST_FD + NFDS);

			if (moved < 0)
				return false;
			for (j = 0; j < NFDS; j++) /* the same socket may be passed twice */
				if (j != i && from[j] == from[i])
					from[j] = moved;
			from[i] = moved;
		}
	for (i = 0; i < NFDS; i++) {
		if (dup2(from[i], FIRST_FD + i) < 0)
			return false;
		fcntl(FIRST_FD + i, F_SETFD, 0);
	}
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	return setenv("LISTEN_PID", pid, 1) == 0 && setenv("LISTEN_FDS", "3", 1) == 0 &&
	       setenv("LISTEN_FDNAMES", "gate:console:ai", 1) == 0;
}

/* rtnetlink through libmnl: brings the loopback interface of a new network namespace
 * up. Other interfaces are the job of the caller's network setup (CNI and the like),
 * never of the runtime. */
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <time.h>
#include "error.h"
#include "sys.h"

static void
mnl_socket_closep(struct mnl_socket **nl)
{
	if (*nl)
		mnl_socket_close(*nl);
}

/* Container process, inside its new network namespace, before pivot_root. */
int
netlink_loopback_up(struct lc_err *err)
{
	_cleanup_(mnl_socket_closep) struct mnl_socket *nl = NULL;
	/* One RTM_NEWLINK request plus its ack (which echoes the request) fit easily. */
	char buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
	unsigned seq = (unsigned)time(NULL), portid;

	/* A fresh network namespace always numbers its loopback 1; ask by name first in
	 * case the namespace was joined rather than created. */
	unsigned idx = if_nametoindex("lo");
	if (idx == 0)
		idx = 1;

	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		return lc_err_set(err, errno, "bring up loopback: open rtnetlink socket");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return lc_err_set(err, errno, "bring up loopback: bind rtnetlink socket");
	portid = mnl_socket_get_portid(nl);

	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = (int)idx;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return lc_err_set(err, errno, "bring up loopback: send RTM_NEWLINK");

	/* Read until the ack for our sequence number; mnl_cb_run turns an NLMSG_ERROR
	 * carrying a non-zero code into -1 with errno set. */
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return lc_err_set(err, errno, "bring up loopback: read rtnetlink ack");
		}
		int r = mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL);
		if (r < 0)
			return lc_err_set(err, errno, "bring up loopback (ifindex %u)", idx);
		if (r == MNL_CB_STOP)
			return 0;
	}
}

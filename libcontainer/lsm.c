/* Linux security modules: whether AppArmor and SELinux are active on this host, refusing
 * labels for an inactive one (instead of silently running unconfined), and setting the
 * exec label of the container process. mountLabel itself is applied by the mount code. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "error.h"
#include "sys.h"

bool
lsm_apparmor_active(void)
{
	struct stat st;
	if (stat("/sys/kernel/security/apparmor", &st) == 0)
		return true;
	_cleanup_close_ int fd =
		open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
	char c = 0;
	return fd >= 0 && read(fd, &c, 1) == 1 && c == 'Y';
}

bool
lsm_selinux_active(void)
{
	struct stat st;
	return stat("/sys/fs/selinux/enforce", &st) == 0;
}

static bool
lsm_is_set(const char *s)
{
	return s && s[0];
}

/* Runtime process, before anything is created: refuses labels for an LSM that is not
 * active, naming config.json, the field and its value. */
int
lsm_check(const struct lc_spec *s, struct lc_err *err)
{
	const char *aa = s->process.apparmor_profile;
	if (lsm_is_set(aa) && !lsm_apparmor_active())
		return lc_err_setx(err, EINVAL,
				   "config.json: process.apparmorProfile \"%s\": AppArmor is not "
				   "enabled on this host",
				   aa);
	bool selinux = lsm_selinux_active();
	const char *label = s->process.selinux_label;
	if (lsm_is_set(label) && !selinux)
		return lc_err_setx(err, EINVAL,
				   "config.json: process.selinuxLabel \"%s\": SELinux is not "
				   "enabled on this host",
				   label);
	label = s->linux_.mount_label;
	if (lsm_is_set(label) && !selinux)
		return lc_err_setx(err, EINVAL,
				   "config.json: linux.mountLabel \"%s\": SELinux is not "
				   "enabled on this host",
				   label);
	return 0;
}

/* Writes text with one write(2) to path; -errno. */
static int
lsm_write_attr(const char *path, const char *text)
{
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t len = strlen(text);
	ssize_t w = write(fd, text, len);
	if (w < 0)
		return -errno;
	return w == (ssize_t)len ? 0 : -EIO;
}

/* Container process, after identity and capabilities, just before no_new_privs,
 * seccomp and execve: the label takes effect at execve. Reads the container's /proc. */
int
lsm_apply_exec(const struct spec_process *p, struct lc_err *err)
{
	if (lsm_is_set(p->apparmor_profile)) {
		char text[1024];
		int n = snprintf(text, sizeof(text), "exec %s", p->apparmor_profile);
		if (n < 0 || (size_t)n >= sizeof(text))
			return lc_err_setx(err, ENAMETOOLONG,
					   "process.apparmorProfile \"%s\": name too long",
					   p->apparmor_profile);
		/* Kernels 5.8+ give AppArmor its own attr directory so that it can stack
		 * with other LSMs; the shared file is the older interface. */
		const char *path = "/proc/self/attr/apparmor/exec";
		int r = lsm_write_attr(path, text);
		if (r == -ENOENT) {
			path = "/proc/self/attr/exec";
			r = lsm_write_attr(path, text);
		}
		if (r < 0)
			return lc_err_set(err, r, "apply AppArmor profile \"%s\": write %s",
					  p->apparmor_profile, path);
	}
	if (lsm_is_set(p->selinux_label)) {
		int r = lsm_write_attr("/proc/self/attr/exec", p->selinux_label);
		if (r < 0)
			return lc_err_set(err, r,
					  "apply SELinux label \"%s\": write /proc/self/attr/exec",
					  p->selinux_label);
	}
	return 0;
}

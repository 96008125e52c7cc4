/*
 * chalk's init for wrapped containers (docs/exec.md, "The native init"; `docker.wrap_init`).
 *
 * As PID 1 it starts the workload at once (no runtime loads before it), then chalk's reporter,
 * forwards signals to the workload, reaps every child, and when the workload ends waits at most
 * WAIT_MS for the reporter's word that the exec report was delivered; without that word it prints
 * one warning line. It exits with the workload's status (128 + the signal that killed it).
 *
 *   chalk-init WAIT_MS[q] REPORTER_ARGV... PID_SLOT -- WORKLOAD_ARGV...
 *
 * WAIT_MS: decimal; a trailing `q` silences the warning (the configuration's `log_level: "none"`).
 * PID_SLOT: ten characters that init overwrites with the workload's PID (zero-padded decimal)
 * before the reporter starts, so the reporter's argv names the process to report about.
 * The reporter gets stdin from /dev/null, its own process group (a terminal's Ctrl-C is the
 * workload's), and on descriptor 3 the write end of the pipe it answers on: `ok` or
 * `failed <reason>`. The workload gets init's environment minus CHALK_TS_RUNTIME (which only
 * chalk's runtime reads), an empty signal mask and default dispositions.
 *
 * Freestanding (no libc): the image may have none. x86-64 Linux system calls.
 * Built by scripts/build_init.ts into docker/init/chalk_init.generated.ts.
 */

typedef long i64;
typedef unsigned long u64;

enum {
  SYS_READ = 0, SYS_WRITE = 1, SYS_OPEN = 2, SYS_CLOSE = 3, SYS_RT_SIGPROCMASK = 14,
  SYS_DUP2 = 33, SYS_FORK = 57, SYS_EXECVE = 59, SYS_WAIT4 = 61, SYS_KILL = 62,
  SYS_SETPGID = 109, SYS_RT_SIGTIMEDWAIT = 128, SYS_EXIT_GROUP = 231, SYS_PIPE2 = 293,
};
enum { EINTR = 4, EAGAIN = 11, ENOENT = 2 };
enum { SIG_SETMASK = 2, SIGCHLD = 17, SI_KERNEL = 0x80, WNOHANG = 1 };
enum { O_RDWR = 2, O_NONBLOCK = 04000, O_CLOEXEC = 02000000 };
enum { REPORT_FD = 3, SLICE_MS = 5, MAX_ENV = 4096, PATH_MAX_LEN = 4096 };

static i64 sys(i64 n, i64 a, i64 b, i64 c, i64 d) {
  register i64 r10 __asm__("r10") = d;
  i64 ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
                   : "rcx", "r11", "memory");
  return ret;
}

__asm__(".globl _start\n"
        "_start:\n"
        "  xor %ebp, %ebp\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call init_main\n"
        "  hlt\n");

static u64 len(const char *s) {
  u64 n = 0;
  while (s[n]) n++;
  return n;
}

static int starts(const char *s, const char *prefix) {
  while (*prefix) {
    if (*s++ != *prefix++) return 0;
  }
  return 1;
}

static void put(const char *s) { sys(SYS_WRITE, 2, (i64)s, (i64)len(s), 0); }

static void leave(int code) {
  for (;;) sys(SYS_EXIT_GROUP, code, 0, 0, 0);
}

static void no_mask(void) {
  u64 none = 0;
  sys(SYS_RT_SIGPROCMASK, SIG_SETMASK, (i64)&none, 0, 8);
}

/* Copies `s` to `out` (bounded); returns the new end. */
static char *append(char *out, char *end, const char *s) {
  while (*s && out < end) *out++ = *s++;
  return out;
}

/* Runs the workload as a shell would find it: a name with `/` as is, else each folder of PATH
 * (an empty entry is the current folder), then the current folder, as chalk exec searches. */
static void exec_workload(char **argv, char **env) {
  const char *name = argv[0];
  for (const char *p = name; *p; p++) {
    if (*p == '/') {
      sys(SYS_EXECVE, (i64)name, (i64)argv, (i64)env, 0);
      put("chalk: cannot execute '");
      put(name);
      put("'\n");
      leave(127);
    }
  }
  const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (char **e = env; *e; e++) {
    if (starts(*e, "PATH=")) path = *e + 5;
  }
  static char buf[PATH_MAX_LEN];
  char *end = buf + sizeof buf - 1;
  const char *dir = path;
  for (int last = 0; !last;) {
    const char *stop = dir;
    while (*stop && *stop != ':') stop++;
    char *out = buf;
    if (stop == dir) out = append(out, end, ".");
    while (dir < stop && out < end) *out++ = *dir++;
    out = append(out, end, "/");
    out = append(out, end, name);
    *out = 0;
    sys(SYS_EXECVE, (i64)buf, (i64)argv, (i64)env, 0);
    if (*stop == 0) last = 1;
    dir = stop + 1;
  }
  char *out = append(buf, end, "./");
  *append(out, end, name) = 0;
  sys(SYS_EXECVE, (i64)buf, (i64)argv, (i64)env, 0);
  put("chalk: No executable named '");
  put(name);
  put("' found in your path.\n");
  leave(127);
}

static void warn(int quiet, const char *reason, const char *wait) {
  if (quiet) return;
  put("warn:  exec: the workload ended before its report was delivered (");
  put(reason);
  put("); the report is lost (exec.report_wait: ");
  put(wait);
  put(" ms)\n");
}

void init_main(i64 *sp) {
  int argc = (int)sp[0];
  char **argv = (char **)(sp + 1);
  char **envp = argv + argc + 1;
  int sep = 3;
  while (sep < argc && !(argv[sep][0] == '-' && argv[sep][1] == '-' && argv[sep][2] == 0)) sep++;
  if (argc < 5 || sep + 1 >= argc || len(argv[sep - 1]) != 10) {
    put("chalk-init: usage: chalk-init WAIT_MS REPORTER... PID_SLOT -- WORKLOAD...\n");
    leave(2);
  }
  /* WAIT_MS: its digits, kept as text for the warning too. */
  static char wait_text[24];
  u64 wait_ms = 0;
  int digits = 0;
  for (const char *p = argv[1]; *p >= '0' && *p <= '9' && digits < 18; p++) {
    wait_ms = wait_ms * 10 + (u64)(*p - '0');
    wait_text[digits++] = *p;
  }
  wait_text[digits] = 0;
  int quiet = argv[1][digits] == 'q';

  static char *workload_env[MAX_ENV + 1];
  int n = 0;
  for (char **e = envp; *e && n < MAX_ENV; e++) {
    if (!starts(*e, "CHALK_TS_RUNTIME=")) workload_env[n++] = *e;
  }
  workload_env[n] = 0;

  u64 all = ~0UL;
  sys(SYS_RT_SIGPROCMASK, SIG_SETMASK, (i64)&all, 0, 8);
  int pipe_fds[2] = {-1, -1};
  if (sys(SYS_PIPE2, (i64)pipe_fds, O_CLOEXEC | O_NONBLOCK, 0, 0) < 0) pipe_fds[0] = -1;

  i64 workload = sys(SYS_FORK, 0, 0, 0, 0);
  if (workload == 0) {
    no_mask();
    exec_workload(argv + sep + 1, workload_env);
  }
  if (workload < 0) {
    put("chalk-init: cannot start the workload (fork failed)\n");
    leave(1);
  }

  char *slot = argv[sep - 1];
  u64 v = (u64)workload;
  for (int i = 9; i >= 0; i--, v /= 10) slot[i] = (char)('0' + v % 10);

  if (pipe_fds[0] >= 0 && sys(SYS_FORK, 0, 0, 0, 0) == 0) {
    sys(SYS_SETPGID, 0, 0, 0, 0);
    i64 null_fd = sys(SYS_OPEN, (i64)"/dev/null", O_RDWR, 0, 0);
    if (null_fd >= 0) sys(SYS_DUP2, null_fd, 0, 0, 0);
    else sys(SYS_CLOSE, 0, 0, 0, 0);
    sys(SYS_DUP2, pipe_fds[1], REPORT_FD, 0, 0);
    no_mask();
    sys(SYS_EXECVE, (i64)argv[2], (i64)(argv + 2), (i64)envp, 0);
    put("chalk-init: cannot start chalk's reporter '");
    put(argv[2]);
    put("'\n");
    leave(127);
  }
  if (pipe_fds[1] >= 0) sys(SYS_CLOSE, pipe_fds[1], 0, 0, 0);

  int done = 0, code = 0;
  u64 waited = 0;
  static char word[512];
  u64 got = 0;
  for (;;) {
    struct {
      i64 sec, nsec;
    } slice = {0, SLICE_MS * 1000000L};
    int info[32];
    i64 sig = sys(SYS_RT_SIGTIMEDWAIT, (i64)&all, (i64)info, done ? (i64)&slice : 0, 8);
    if (sig == SIGCHLD) {
      for (;;) {
        int status = 0;
        i64 pid = sys(SYS_WAIT4, -1, (i64)&status, WNOHANG, 0);
        if (pid <= 0) break;
        if (pid == workload) {
          done = 1;
          code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
        }
      }
    } else if (sig > 0) {
      /* A terminal's signals (SI_KERNEL) already reached the workload's process group. */
      if (!done && info[2] != SI_KERNEL) sys(SYS_KILL, workload, sig, 0, 0);
    } else if (sig == -EAGAIN) {
      waited += SLICE_MS;
    }
    if (!done) continue;
    if (pipe_fds[0] < 0) {
      warn(quiet, "no channel to the reporter", wait_text);
      leave(code);
    }
    for (;;) {
      i64 r = sys(SYS_READ, pipe_fds[0], (i64)(word + got), (i64)(sizeof word - 1 - got), 0);
      if (r > 0) {
        got += (u64)r;
        if (got < sizeof word - 1) continue;
      }
      word[got] = 0;
      int whole = got > 0 && (word[got - 1] == '\n' || got == sizeof word - 1);
      if (whole && starts(word, "ok")) leave(code);
      if (whole && starts(word, "failed ")) {
        word[got - 1] = 0;
        warn(quiet, word + 7, wait_text);
        leave(code);
      }
      if (r == 0) {
        warn(quiet, "the reporter ended before sending it", wait_text);
        leave(code);
      }
      break; /* EAGAIN: nothing more yet */
    }
    if (waited >= wait_ms) {
      static char reason[64];
      char *out = append(reason, reason + sizeof reason - 1, "not delivered within ");
      out = append(out, reason + sizeof reason - 1, wait_text);
      *append(out, reason + sizeof reason - 1, " ms") = 0;
      warn(quiet, reason, wait_text);
      leave(code);
    }
  }
}

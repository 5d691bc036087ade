// fluid_fuse3: a small Node-API binding of libfuse3's high-level API for fluid-ts's read-only
// dataset mount.
//
// Threads: libfuse's multi-threaded loop runs on its own threads. open is answered here (a new
// handle number, page cache kept): opening a file never reaches JavaScript or the master, so a
// file whose bytes are in the kernel page cache is read without any JavaScript at all. Metadata
// operations (getattr, readdir, statfs), reads that the native side cannot serve, and the release
// of a handle JavaScript has seen a read of are handed to the JavaScript thread through one
// thread-safe function; the libfuse thread waits on a condition
// variable until JavaScript calls reply(). Reads of blocks that JavaScript has mapped with
// mapBlock() (a file descriptor of a same-host worker's block file) are served here with pread,
// on the libfuse thread, without touching JavaScript: that is the short-circuit hot path.
//
// Every write-type operation answers EROFS; the mount is also read-only (-o ro).

#define FUSE_USE_VERSION 314
#include <fuse.h>
#include <node_api.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

/* 3 was OP_OPEN: open is answered natively. */
enum { OP_GETATTR = 1, OP_READDIR = 2, OP_READ = 4, OP_RELEASE = 5, OP_STATFS = 6 };

#define N_ATTR 7    /* mode, size, mtimeMs, nlink, uid, gid, blksize */
#define N_STATFS 10 /* bsize, frsize, blocks, bfree, bavail, files, ffree, favail, flag, namemax */
#define FH_BUCKETS 1024
#define MAX_SEGMENTS 16

typedef struct req {
  int op;
  const char *path;
  double fh;
  char *buf;
  size_t size;
  off_t off;
  int sequential;
  /* answer */
  int result;
  double attr[N_ATTR];
  double sfs[N_STATFS];
  char **names;
  uint32_t n_names;
  int done;
  int refs; /* the libfuse thread and the JavaScript call each hold one */
  pthread_mutex_t mu;
  pthread_cond_t cv;
} req_t;

/* Per open file handle: which blocks are mapped to a local block file descriptor (owned here). */
typedef struct fh_entry {
  uint64_t fh;
  uint64_t size;
  uint64_t block_size; /* 0 until the first mapBlock */
  uint32_t n_blocks;
  int *fds; /* -1 = not mapped */
  uint64_t next_off; /* end of the previous read: sequential-read detection */
  int js_seen; /* a read of this handle went to JavaScript, which then keeps state for it */
  struct fh_entry *next;
} fh_entry_t;

typedef struct mnt {
  struct fuse *fuse;
  pthread_t loop;
  volatile int loop_done;
  napi_threadsafe_function tsfn;
  double attr_timeout;
  double entry_timeout;
  unsigned max_readahead;
  unsigned max_read;
  unsigned max_background;
  int max_threads;
  pthread_mutex_t fh_mu;
  fh_entry_t *fh[FH_BUCKETS];
  uint64_t mapped_fds; /* descriptors held in fh entries (under fh_mu) */
  uint64_t max_mapped_fds;
  uint64_t fast_reads, fast_bytes, slow_reads, slow_bytes, max_request;
  uint64_t next_fh; /* handles are numbered here: open never reaches JavaScript */
  uint64_t opens;
  int unmount_joined;
  napi_async_work work;
  napi_ref unmount_cb;
  int timeout_ms;
  int destroyed;
} mnt_t;

/* ---------------------------------------------------------------- per-handle block map */

static fh_entry_t **fh_slot(mnt_t *m, uint64_t fh) { return &m->fh[fh % FH_BUCKETS]; }

static fh_entry_t *fh_find(mnt_t *m, uint64_t fh) {
  for (fh_entry_t *e = *fh_slot(m, fh); e; e = e->next)
    if (e->fh == fh) return e;
  return NULL;
}

static fh_entry_t *fh_get(mnt_t *m, uint64_t fh) {
  fh_entry_t *e = fh_find(m, fh);
  if (e) return e;
  e = calloc(1, sizeof *e);
  if (!e) return NULL;
  e->fh = fh;
  e->next = *fh_slot(m, fh);
  *fh_slot(m, fh) = e;
  return e;
}

/* Closes and frees an entry already unlinked from the table; returns how many descriptors it held. */
static uint64_t fh_free(fh_entry_t *e) {
  uint64_t n = 0;
  for (uint32_t i = 0; i < e->n_blocks; i++)
    if (e->fds[i] >= 0) {
      close(e->fds[i]);
      n++;
    }
  free(e->fds);
  free(e);
  return n;
}

static void fh_drop(mnt_t *m, uint64_t fh) {
  pthread_mutex_lock(&m->fh_mu);
  fh_entry_t **pp = fh_slot(m, fh);
  while (*pp && (*pp)->fh != fh) pp = &(*pp)->next;
  fh_entry_t *e = *pp;
  if (e) *pp = e->next;
  pthread_mutex_unlock(&m->fh_mu);
  if (!e) return;
  uint64_t closed = fh_free(e);
  pthread_mutex_lock(&m->fh_mu);
  m->mapped_fds -= closed;
  pthread_mutex_unlock(&m->fh_mu);
}

static void fh_drop_all(mnt_t *m) {
  for (int i = 0; i < FH_BUCKETS; i++) {
    fh_entry_t *e = m->fh[i];
    m->fh[i] = NULL;
    while (e) {
      fh_entry_t *n = e->next;
      m->mapped_fds -= fh_free(e);
      e = n;
    }
  }
}

typedef struct { int fd; off_t fd_off; size_t len; size_t buf_off; } segment_t;

/*
 * Serves a read from mapped block files. Returns the byte count, or -1 when JavaScript must serve
 * it (a block is not mapped, or a block file came up short). *sequential tells whether this read
 * starts where the previous read of the handle ended.
 */
static int fast_read(mnt_t *m, uint64_t fh, char *buf, size_t size, off_t off, int *sequential) {
  segment_t seg[MAX_SEGMENTS];
  int n_seg = 0;
  uint64_t start = (uint64_t)off;
  pthread_mutex_lock(&m->fh_mu);
  fh_entry_t *e = fh_get(m, fh);
  if (!e) {
    pthread_mutex_unlock(&m->fh_mu);
    *sequential = 0;
    return -1;
  }
  *sequential = e->next_off == start;
  e->next_off = start + size;
  if (e->block_size == 0) {
    pthread_mutex_unlock(&m->fh_mu);
    return -1;
  }
  if (start >= e->size) {
    pthread_mutex_unlock(&m->fh_mu);
    return 0;
  }
  uint64_t end = start + size < e->size ? start + size : e->size;
  for (uint64_t pos = start; pos < end;) {
    uint64_t b = pos / e->block_size;
    uint64_t block_end = (b + 1) * e->block_size;
    uint64_t stop = block_end < end ? block_end : end;
    if (b >= e->n_blocks || e->fds[b] < 0 || n_seg == MAX_SEGMENTS) {
      pthread_mutex_unlock(&m->fh_mu);
      return -1;
    }
    seg[n_seg].fd = e->fds[b];
    seg[n_seg].fd_off = (off_t)(pos - b * e->block_size);
    seg[n_seg].len = (size_t)(stop - pos);
    seg[n_seg].buf_off = (size_t)(pos - start);
    n_seg++;
    pos = stop;
  }
  pthread_mutex_unlock(&m->fh_mu);
  /* The descriptors stay open until this handle's release, which the kernel sends only after
   * every read of the handle has been answered. */
  for (int i = 0; i < n_seg; i++) {
    size_t done = 0;
    while (done < seg[i].len) {
      ssize_t r = pread(seg[i].fd, buf + seg[i].buf_off + done, seg[i].len - done, seg[i].fd_off + (off_t)done);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return -1; /* truncated or unreadable: JavaScript re-opens the block */
      done += (size_t)r;
    }
  }
  return (int)(end - start);
}

/* ---------------------------------------------------------------- calls into JavaScript */

static mnt_t *current(void) { return (mnt_t *)fuse_get_context()->private_data; }

/* A request lives on the heap: the JavaScript side may still be unwinding (e.g. an exception
 * thrown after it replied) when the libfuse thread has already returned. */
static req_t *req_new(int op, const char *path) {
  req_t *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->op = op;
  r->path = path;
  r->fh = -1;
  r->result = -EIO;
  r->refs = 2;
  pthread_mutex_init(&r->mu, NULL);
  pthread_cond_init(&r->cv, NULL);
  return r;
}

static void req_unref(req_t *r) {
  if (__atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
  for (uint32_t i = 0; i < r->n_names; i++) free(r->names[i]);
  free(r->names);
  pthread_mutex_destroy(&r->mu);
  pthread_cond_destroy(&r->cv);
  free(r);
}

static void req_finish(req_t *r, int result) {
  pthread_mutex_lock(&r->mu);
  r->result = result;
  r->done = 1;
  pthread_cond_signal(&r->cv);
  pthread_mutex_unlock(&r->mu);
}

/* Hands the request to JavaScript and waits for its answer; the caller reads the answer, then
 * calls req_unref. */
static int call_js(mnt_t *m, req_t *r) {
  if (napi_call_threadsafe_function(m->tsfn, r, napi_tsfn_blocking) != napi_ok) {
    req_unref(r); /* JavaScript never sees it */
    return -EIO;
  }
  pthread_mutex_lock(&r->mu);
  while (!r->done) pthread_cond_wait(&r->cv, &r->mu);
  pthread_mutex_unlock(&r->mu);
  return r->result;
}

/* Runs on the JavaScript thread: dispatch(op, req, path, fh, arg, offset, sequential). */
static void call_js_cb(napi_env env, napi_value js_cb, void *context, void *data) {
  req_t *r = (req_t *)data;
  if (env == NULL || js_cb == NULL) {
    req_finish(r, -EIO);
    req_unref(r);
    return;
  }
  napi_value argv[7], undef;
  napi_get_undefined(env, &undef);
  napi_create_int32(env, r->op, &argv[0]);
  napi_create_external(env, r, NULL, NULL, &argv[1]);
  napi_create_string_utf8(env, r->path ? r->path : "", NAPI_AUTO_LENGTH, &argv[2]);
  napi_create_double(env, r->fh, &argv[3]);
  argv[4] = undef;
  argv[5] = undef;
  argv[6] = undef;
  if (r->op == OP_READ) {
    if (napi_create_external_buffer(env, r->size, r->buf, NULL, NULL, &argv[4]) != napi_ok) {
      req_finish(r, -EIO);
      req_unref(r);
      return;
    }
    napi_create_double(env, (double)r->off, &argv[5]);
    napi_get_boolean(env, r->sequential, &argv[6]);
  }
  napi_value ret;
  if (napi_call_function(env, undef, js_cb, 7, argv, &ret) != napi_ok) {
    napi_value exc;
    napi_get_and_clear_last_exception(env, &exc);
    /* The JavaScript side answers exactly once; a throw before that means it never will. */
    pthread_mutex_lock(&r->mu);
    int done = r->done;
    pthread_mutex_unlock(&r->mu);
    if (!done) req_finish(r, -EIO);
  }
  req_unref(r);
}

/* ---------------------------------------------------------------- libfuse operations */

static void *op_init(struct fuse_conn_info *conn, struct fuse_config *cfg) {
  mnt_t *m = current();
  cfg->kernel_cache = 1;
  cfg->attr_timeout = m->attr_timeout;
  cfg->entry_timeout = m->entry_timeout;
  cfg->negative_timeout = 0;
  cfg->use_ino = 0;
  conn->max_readahead = m->max_readahead;
  /* libfuse 3.14 insists that init() repeats the max_read mount option. */
  conn->max_read = m->max_read;
  if (m->max_background > 0) {
    conn->max_background = m->max_background;
    conn->congestion_threshold = m->max_background * 3 / 4;
  }
  conn->want |= FUSE_CAP_ASYNC_READ;
  /* A file version's bytes never change (blocks are keyed by fingerprint): no page-cache
   * revalidation on every read. */
  conn->want &= ~FUSE_CAP_AUTO_INVAL_DATA;
  return m;
}

#define NEW_REQ(r, op, path)  \
  req_t *r = req_new(op, path); \
  if (!r) return -ENOMEM

static int op_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
  NEW_REQ(r, OP_GETATTR, path);
  if (fi) r->fh = (double)fi->fh;
  int res = call_js(current(), r);
  if (res == 0) {
    memset(st, 0, sizeof *st);
    st->st_mode = (mode_t)r->attr[0];
    st->st_size = (off_t)r->attr[1];
    struct timespec t;
    t.tv_sec = (time_t)(r->attr[2] / 1000);
    t.tv_nsec = (long)((r->attr[2] - (double)t.tv_sec * 1000) * 1e6);
    if (t.tv_nsec < 0) t.tv_nsec = 0;
    st->st_mtim = t;
    st->st_atim = t;
    st->st_ctim = t;
    st->st_nlink = (nlink_t)r->attr[3];
    st->st_uid = (uid_t)r->attr[4];
    st->st_gid = (gid_t)r->attr[5];
    st->st_blksize = (blksize_t)r->attr[6];
    st->st_blocks = (st->st_size + 511) / 512;
  }
  req_unref(r);
  return res;
}

static int op_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off, struct fuse_file_info *fi,
                      enum fuse_readdir_flags flags) {
  NEW_REQ(r, OP_READDIR, path);
  int res = call_js(current(), r);
  if (res == 0) {
    filler(buf, ".", NULL, 0, 0);
    filler(buf, "..", NULL, 0, 0);
    for (uint32_t i = 0; i < r->n_names; i++) filler(buf, r->names[i], NULL, 0, 0);
  }
  req_unref(r);
  return res;
}

static int op_open(const char *path, struct fuse_file_info *fi) {
  if ((fi->flags & O_ACCMODE) != O_RDONLY) return -EROFS;
  mnt_t *m = current();
  /* The kernel sends OPEN only for an inode it looked up (a regular file: directories get OPENDIR);
   * JavaScript learns of the handle with its first read that the native side cannot serve. */
  fi->fh = __atomic_add_fetch(&m->next_fh, 1, __ATOMIC_RELAXED);
  fi->keep_cache = 1;
  __atomic_fetch_add(&m->opens, 1, __ATOMIC_RELAXED);
  return 0;
}

static int op_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
  mnt_t *m = current();
  int sequential = 0;
  int n = fast_read(m, fi->fh, buf, size, off, &sequential);
  uint64_t prev = __atomic_load_n(&m->max_request, __ATOMIC_RELAXED);
  while (size > prev && !__atomic_compare_exchange_n(&m->max_request, &prev, size, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
  }
  if (n >= 0) {
    __atomic_fetch_add(&m->fast_reads, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&m->fast_bytes, (uint64_t)n, __ATOMIC_RELAXED);
    return n;
  }
  pthread_mutex_lock(&m->fh_mu);
  fh_entry_t *seen = fh_get(m, fi->fh);
  if (seen) seen->js_seen = 1;
  pthread_mutex_unlock(&m->fh_mu);
  if (!seen) return -ENOMEM; /* release must know JavaScript may hold state for this handle */
  NEW_REQ(r, OP_READ, path);
  r->fh = (double)fi->fh;
  r->buf = buf;
  r->size = size;
  r->off = off;
  r->sequential = sequential;
  int res = call_js(m, r);
  req_unref(r);
  if (res > 0) {
    __atomic_fetch_add(&m->slow_reads, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&m->slow_bytes, (uint64_t)res, __ATOMIC_RELAXED);
  }
  return res;
}

static int op_release(const char *path, struct fuse_file_info *fi) {
  mnt_t *m = current();
  pthread_mutex_lock(&m->fh_mu);
  fh_entry_t *e = fh_find(m, fi->fh);
  int js_seen = e && e->js_seen;
  pthread_mutex_unlock(&m->fh_mu);
  /* JavaScript forgets the handle first, so it cannot map a block for it after the drop below
   * (which would leave a descriptor nobody closes). A handle it never saw needs no call. */
  req_t *r = js_seen ? req_new(OP_RELEASE, path) : NULL;
  if (r) {
    r->fh = (double)fi->fh;
    call_js(m, r);
    req_unref(r);
  }
  fh_drop(m, fi->fh);
  return 0;
}

static int op_statfs(const char *path, struct statvfs *sv) {
  NEW_REQ(r, OP_STATFS, path);
  int res = call_js(current(), r);
  if (res == 0) {
    memset(sv, 0, sizeof *sv);
    sv->f_bsize = (unsigned long)r->sfs[0];
    sv->f_frsize = (unsigned long)r->sfs[1];
    sv->f_blocks = (fsblkcnt_t)r->sfs[2];
    sv->f_bfree = (fsblkcnt_t)r->sfs[3];
    sv->f_bavail = (fsblkcnt_t)r->sfs[4];
    sv->f_files = (fsfilcnt_t)r->sfs[5];
    sv->f_ffree = (fsfilcnt_t)r->sfs[6];
    sv->f_favail = (fsfilcnt_t)r->sfs[7];
    sv->f_flag = (unsigned long)r->sfs[8];
    sv->f_namemax = (unsigned long)r->sfs[9];
  }
  req_unref(r);
  return res;
}

static int op_access(const char *path, int mask) { return (mask & W_OK) ? -EROFS : 0; }
static int ro_write(const char *p, const char *b, size_t s, off_t o, struct fuse_file_info *fi) { return -EROFS; }
static int ro_create(const char *p, mode_t m, struct fuse_file_info *fi) { return -EROFS; }
static int ro_truncate(const char *p, off_t s, struct fuse_file_info *fi) { return -EROFS; }
static int ro_path(const char *p) { return -EROFS; }
static int ro_path2(const char *a, const char *b) { return -EROFS; }
static int ro_rename(const char *a, const char *b, unsigned int f) { return -EROFS; }
static int ro_mkdir(const char *p, mode_t m) { return -EROFS; }
static int ro_chmod(const char *p, mode_t m, struct fuse_file_info *fi) { return -EROFS; }
static int ro_chown(const char *p, uid_t u, gid_t g, struct fuse_file_info *fi) { return -EROFS; }
static int ro_utimens(const char *p, const struct timespec tv[2], struct fuse_file_info *fi) { return -EROFS; }
static int ro_mknod(const char *p, mode_t m, dev_t d) { return -EROFS; }
static int ro_setxattr(const char *p, const char *n, const char *v, size_t s, int f) { return -EROFS; }
static int ro_removexattr(const char *p, const char *n) { return -EROFS; }

static const struct fuse_operations ops = {
    .init = op_init,
    .getattr = op_getattr,
    .readdir = op_readdir,
    .open = op_open,
    .read = op_read,
    .release = op_release,
    .statfs = op_statfs,
    .access = op_access,
    .write = ro_write,
    .create = ro_create,
    .truncate = ro_truncate,
    .unlink = ro_path,
    .rmdir = ro_path,
    .symlink = ro_path2,
    .link = ro_path2,
    .rename = ro_rename,
    .mkdir = ro_mkdir,
    .chmod = ro_chmod,
    .chown = ro_chown,
    .utimens = ro_utimens,
    .mknod = ro_mknod,
    .setxattr = ro_setxattr,
    .removexattr = ro_removexattr,
};

/* ---------------------------------------------------------------- Node-API surface */

#define CHECK(env, call, msg)                       \
  do {                                              \
    if ((call) != napi_ok) {                        \
      napi_throw_error((env), "EFLUIDFUSE", (msg)); \
      return NULL;                                  \
    }                                               \
  } while (0)

static void *loop_main(void *arg) {
  mnt_t *m = (mnt_t *)arg;
  struct fuse_loop_config *cfg = fuse_loop_cfg_create();
  if (cfg) {
    fuse_loop_cfg_set_max_threads(cfg, (unsigned)m->max_threads);
    fuse_loop_cfg_set_clone_fd(cfg, 0);
  }
  fuse_loop_mt(m->fuse, cfg);
  if (cfg) fuse_loop_cfg_destroy(cfg);
  __atomic_store_n(&m->loop_done, 1, __ATOMIC_SEQ_CST);
  return NULL;
}

static double get_num(napi_env env, napi_value obj, const char *key, double def) {
  napi_value v;
  napi_valuetype t;
  double d;
  if (napi_get_named_property(env, obj, key, &v) != napi_ok) return def;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_number) return def;
  if (napi_get_value_double(env, v, &d) != napi_ok) return def;
  return d;
}

static char *get_string(napi_env env, napi_value v) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (!s) return NULL;
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}

static mnt_t *get_mnt(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok) return NULL;
  return (mnt_t *)p;
}

/* mount(mountpoint, options, config, dispatch) -> handle. Throws with libfuse's reason on failure. */
static napi_value js_mount(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL), "bad arguments");
  if (argc < 4) {
    napi_throw_type_error(env, NULL, "mount(mountpoint, options, config, dispatch)");
    return NULL;
  }
  char *mountpoint = get_string(env, argv[0]);
  char *options = get_string(env, argv[1]);
  if (!mountpoint || !options) {
    free(mountpoint);
    free(options);
    napi_throw_type_error(env, NULL, "mountpoint and options must be strings");
    return NULL;
  }
  mnt_t *m = calloc(1, sizeof *m);
  if (!m) {
    free(mountpoint);
    free(options);
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  pthread_mutex_init(&m->fh_mu, NULL);
  /* Mapped blocks hold descriptors: raise the soft limit to the hard one, and use at most half. */
  struct rlimit rl;
  m->max_mapped_fds = 512;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    if (rl.rlim_cur < rl.rlim_max) {
      struct rlimit want = {rl.rlim_max, rl.rlim_max};
      if (setrlimit(RLIMIT_NOFILE, &want) == 0) rl.rlim_cur = rl.rlim_max;
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur / 2 > m->max_mapped_fds) m->max_mapped_fds = rl.rlim_cur / 2;
    if (rl.rlim_cur == RLIM_INFINITY || m->max_mapped_fds > 65536) m->max_mapped_fds = 65536;
  }
  m->attr_timeout = get_num(env, argv[2], "attrTimeoutSec", 60);
  m->entry_timeout = get_num(env, argv[2], "entryTimeoutSec", 60);
  m->max_readahead = (unsigned)get_num(env, argv[2], "maxReadahead", 1 << 20);
  m->max_read = (unsigned)get_num(env, argv[2], "maxRead", 0);
  m->max_background = (unsigned)get_num(env, argv[2], "maxBackground", 0);
  m->max_threads = (int)get_num(env, argv[2], "maxThreads", 16);

  napi_value name;
  napi_create_string_utf8(env, "fluid_fuse3", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[3], NULL, name, 0, 1, NULL, NULL, m, call_js_cb, &m->tsfn) != napi_ok) {
    free(mountpoint);
    free(options);
    free(m);
    napi_throw_error(env, NULL, "cannot create the dispatch function");
    return NULL;
  }

  char *fargv[] = {"fluid-fuse", "-o", options, NULL};
  struct fuse_args args = FUSE_ARGS_INIT(3, fargv);
  m->fuse = fuse_new(&args, &ops, sizeof ops, m);
  fuse_opt_free_args(&args);
  free(options);
  if (!m->fuse) {
    free(mountpoint);
    napi_release_threadsafe_function(m->tsfn, napi_tsfn_abort);
    free(m);
    napi_throw_error(env, "EINVAL", "libfuse rejected the mount options (see its message on stderr)");
    return NULL;
  }
  if (fuse_mount(m->fuse, mountpoint) != 0) {
    int err = errno;
    free(mountpoint);
    fuse_destroy(m->fuse);
    napi_release_threadsafe_function(m->tsfn, napi_tsfn_abort);
    free(m);
    char msg[256];
    snprintf(msg, sizeof msg, "fuse_mount failed: %s (see libfuse's message on stderr)", strerror(err));
    napi_throw_error(env, "EMOUNT", msg);
    return NULL;
  }
  free(mountpoint);
  if (pthread_create(&m->loop, NULL, loop_main, m) != 0) {
    fuse_unmount(m->fuse);
    fuse_destroy(m->fuse);
    napi_release_threadsafe_function(m->tsfn, napi_tsfn_abort);
    free(m);
    napi_throw_error(env, NULL, "cannot start the FUSE loop thread");
    return NULL;
  }
  napi_value handle;
  CHECK(env, napi_create_external(env, m, NULL, NULL, &handle), "cannot create the mount handle");
  return handle;
}

/* reply(req, result, extra?): answers one request; extra is the attr/statfs numbers or readdir names. */
static napi_value js_reply(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL), "bad arguments");
  void *p = NULL;
  CHECK(env, napi_get_value_external(env, argv[0], &p), "reply: not a request");
  req_t *r = (req_t *)p;
  int32_t result = -EIO;
  napi_get_value_int32(env, argv[1], &result);
  if (result >= 0 && argc >= 3 && (r->op == OP_GETATTR || r->op == OP_STATFS || r->op == OP_READDIR)) {
    uint32_t len = 0;
    if (napi_get_array_length(env, argv[2], &len) != napi_ok) {
      req_finish(r, -EIO);
      napi_throw_type_error(env, NULL, "reply: extra must be an array");
      return NULL;
    }
    if (r->op == OP_READDIR) {
      r->names = calloc(len ? len : 1, sizeof(char *));
      for (uint32_t i = 0; r->names && i < len; i++) {
        napi_value v;
        napi_get_element(env, argv[2], i, &v);
        r->names[i] = get_string(env, v);
        if (r->names[i]) r->n_names = i + 1;
        else break;
      }
    } else {
      double *dst = r->op == OP_GETATTR ? r->attr : r->sfs;
      uint32_t want = r->op == OP_GETATTR ? N_ATTR : N_STATFS;
      for (uint32_t i = 0; i < want && i < len; i++) {
        napi_value v;
        napi_get_element(env, argv[2], i, &v);
        napi_get_value_double(env, v, &dst[i]);
      }
    }
  }
  req_finish(r, result);
  return NULL;
}

/* mapBlock(handle, fh, fileSize, blockSize, blockIndex, fd) -> bool: later reads of that block of
 * that handle are served natively from a duplicate of fd (closed at release). */
static napi_value js_map_block(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL), "bad arguments");
  mnt_t *m = get_mnt(env, argv[0]);
  double fh, size, bs, idx;
  int32_t fd;
  napi_value out;
  if (!m || m->destroyed || napi_get_value_double(env, argv[1], &fh) != napi_ok || napi_get_value_double(env, argv[2], &size) != napi_ok ||
      napi_get_value_double(env, argv[3], &bs) != napi_ok || napi_get_value_double(env, argv[4], &idx) != napi_ok ||
      napi_get_value_int32(env, argv[5], &fd) != napi_ok || bs < 1 || size < 0 || idx < 0) {
    napi_throw_type_error(env, NULL, "mapBlock(handle, fh, fileSize, blockSize, blockIndex, fd)");
    return NULL;
  }
  /* Bounded, so mapped blocks never starve the process (sockets, JavaScript's own files) of
   * descriptors; past the bound, reads of further blocks simply stay on the JavaScript path. */
  pthread_mutex_lock(&m->fh_mu);
  int full = m->mapped_fds >= m->max_mapped_fds;
  pthread_mutex_unlock(&m->fh_mu);
  int mine = full ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 3);
  int ok = 0;
  if (mine >= 0) {
    pthread_mutex_lock(&m->fh_mu);
    fh_entry_t *e = fh_get(m, (uint64_t)fh);
    if (e && e->block_size == 0) {
      uint64_t n = ((uint64_t)size + (uint64_t)bs - 1) / (uint64_t)bs;
      e->fds = n ? malloc(n * sizeof(int)) : NULL;
      if (e->fds || n == 0) {
        for (uint64_t i = 0; i < n; i++) e->fds[i] = -1;
        e->n_blocks = (uint32_t)n;
        e->size = (uint64_t)size;
        e->block_size = (uint64_t)bs;
      }
    }
    if (e && e->block_size == (uint64_t)bs && e->size == (uint64_t)size && (uint64_t)idx < e->n_blocks && e->fds[(uint64_t)idx] < 0) {
      e->fds[(uint64_t)idx] = mine;
      m->mapped_fds++;
      ok = 1;
    }
    pthread_mutex_unlock(&m->fh_mu);
    if (!ok) close(mine);
  }
  napi_get_boolean(env, ok, &out);
  return out;
}

/* stats(handle) -> [fastReads, fastBytes, slowReads, slowBytes, maxRequestBytes, mappedFds, opens] */
static napi_value js_stats(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], arr, v;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL), "bad arguments");
  mnt_t *m = get_mnt(env, argv[0]);
  if (!m) {
    napi_throw_type_error(env, NULL, "stats(handle)");
    return NULL;
  }
  pthread_mutex_lock(&m->fh_mu);
  uint64_t mapped = m->mapped_fds;
  pthread_mutex_unlock(&m->fh_mu);
  uint64_t vals[7] = {
      __atomic_load_n(&m->fast_reads, __ATOMIC_RELAXED), __atomic_load_n(&m->fast_bytes, __ATOMIC_RELAXED),
      __atomic_load_n(&m->slow_reads, __ATOMIC_RELAXED), __atomic_load_n(&m->slow_bytes, __ATOMIC_RELAXED),
      __atomic_load_n(&m->max_request, __ATOMIC_RELAXED), mapped, __atomic_load_n(&m->opens, __ATOMIC_RELAXED)};
  napi_create_array_with_length(env, 7, &arr);
  for (uint32_t i = 0; i < 7; i++) {
    napi_create_double(env, (double)vals[i], &v);
    napi_set_element(env, arr, i, v);
  }
  return arr;
}

/* unmount(handle, timeoutMs, cb(joined)): lazy unmount, then waits up to timeoutMs for the loop to
 * end (it ends once no process keeps the mount busy). joined=false: still serving; call
 * unmount again after aborting the connection (/sys/fs/fuse/connections/N/abort). */
static void unmount_execute(napi_env env, void *data) {
  mnt_t *m = (mnt_t *)data;
  if (!m->unmount_joined && m->fuse) {
    if (!__atomic_load_n(&m->loop_done, __ATOMIC_SEQ_CST)) {
      fuse_exit(m->fuse);
      fuse_unmount(m->fuse);
    }
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += m->timeout_ms / 1000;
    deadline.tv_nsec += (long)(m->timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
      deadline.tv_sec += 1;
      deadline.tv_nsec -= 1000000000L;
    }
    if (pthread_timedjoin_np(m->loop, NULL, &deadline) == 0) m->unmount_joined = 1;
  }
}

static void unmount_complete(napi_env env, napi_status status, void *data) {
  mnt_t *m = (mnt_t *)data;
  napi_value cb, undef, joined;
  napi_get_reference_value(env, m->unmount_cb, &cb);
  napi_delete_reference(env, m->unmount_cb);
  napi_delete_async_work(env, m->work);
  m->work = NULL;
  if (m->unmount_joined && !m->destroyed) {
    m->destroyed = 1;
    fuse_destroy(m->fuse);
    m->fuse = NULL;
    fh_drop_all(m);
    napi_release_threadsafe_function(m->tsfn, napi_tsfn_release);
  }
  napi_get_undefined(env, &undef);
  napi_get_boolean(env, m->unmount_joined, &joined);
  napi_call_function(env, undef, cb, 1, &joined, NULL);
}

static napi_value js_unmount(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], name;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL), "bad arguments");
  mnt_t *m = get_mnt(env, argv[0]);
  double timeout = 0;
  if (!m || argc < 3 || napi_get_value_double(env, argv[1], &timeout) != napi_ok) {
    napi_throw_type_error(env, NULL, "unmount(handle, timeoutMs, cb)");
    return NULL;
  }
  if (m->work) {
    napi_throw_error(env, NULL, "unmount already in progress");
    return NULL;
  }
  m->timeout_ms = timeout < 0 ? 0 : (int)timeout;
  CHECK(env, napi_create_reference(env, argv[2], 1, &m->unmount_cb), "cannot keep the callback");
  napi_create_string_utf8(env, "fluid_fuse3_unmount", NAPI_AUTO_LENGTH, &name);
  CHECK(env, napi_create_async_work(env, NULL, name, unmount_execute, unmount_complete, m, &m->work), "cannot start the unmount");
  CHECK(env, napi_queue_async_work(env, m->work), "cannot queue the unmount");
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"mount", NULL, js_mount, NULL, NULL, NULL, napi_default, NULL},
      {"reply", NULL, js_reply, NULL, NULL, NULL, napi_default, NULL},
      {"mapBlock", NULL, js_map_block, NULL, NULL, NULL, napi_default, NULL},
      {"stats", NULL, js_stats, NULL, NULL, NULL, napi_default, NULL},
      {"unmount", NULL, js_unmount, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)

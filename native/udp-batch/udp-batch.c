// A UDP socket that receives many datagrams per system call (Linux recvmmsg) and hands JavaScript one batch per
// call, instead of Node's dgram with its one Buffer, one address object and one callback per datagram.
//
// The socket is created and bound here (SO_RCVBUF as asked, no SO_REUSEADDR: dgram's `exclusive` bind). libuv
// polls it on the calling thread's loop (uv_poll_t); when readable, recvmmsg fills the slots of one preallocated
// buffer until the socket is empty, a bounded number of rounds per wake-up so the loop keeps turning. JavaScript
// reads the batch during the callback only: the next round overwrites it. Memory is fixed at open; when
// JavaScript falls behind, the kernel's buffer fills and the kernel counts the drops (nothing grows here).
//
// Per slot, `meta` (uint32): length, flags (bit 0: truncated), family (4 or 6), source port, kernel receive time
// (seconds, nanoseconds; 0/0 when the kernel gave none), then the source address's 16 bytes (IPv4 and IPv4-mapped
// IPv6 as family 4 in the first 4 bytes).
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <node_api.h>
#include <uv.h>

#define SLOTS 64
// Over the largest UDP payload (65,535 - 8 - 20 for IPv4, 65,535 - 8 for IPv6 without jumbograms).
#define SLOT_BYTES 65536
#define META_STRIDE 10
// Rounds of recvmmsg per wake-up before the loop gets a turn (level-triggered: the poll fires again).
#define MAX_ROUNDS 16
// Once the socket is empty, polling pauses this long so the next wake-up finds a batch, not one datagram: at 50k
// datagrams/s, ~50 per wake-up instead of one. Costs at most this much latency; time stamps are the kernel's.
#define PAUSE_MS 1
#define CONTROL_BYTES CMSG_SPACE(sizeof(struct timespec))

typedef struct {
  int fd;
  bool closing;
  int open_handles; // poll and pause: freed when both have closed
  bool handles_closed;
  bool finalized;
  napi_env env;
  // Node waits for this hook before it unloads the addon (a worker ending): removed once uv_close has called back.
  napi_async_cleanup_hook_handle cleanup;
  uv_poll_t poll;
  uv_timer_t pause;
  napi_ref callback;
  napi_ref data_ref;
  napi_ref meta_ref;
  napi_async_context async;
  uint8_t *data;
  uint32_t *meta;
  struct mmsghdr msgs[SLOTS];
  struct iovec iov[SLOTS];
  struct sockaddr_storage from[SLOTS];
  union {
    char bytes[CONTROL_BYTES];
    struct cmsghdr align;
  } control[SLOTS];
} batch_t;

static void throw_errno(napi_env env, const char *syscall, int error) {
  const char *name = strerrorname_np(error);
  char message[160];
  snprintf(message, sizeof message, "%s %s (%s)", syscall, name ? name : "E?", strerror(error));
  napi_value code, text, err, number, call;
  napi_create_string_utf8(env, name ? name : "EUNKNOWN", NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &text);
  napi_create_error(env, code, text, &err);
  napi_create_int32(env, -error, &number);
  napi_set_named_property(env, err, "errno", number);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &call);
  napi_set_named_property(env, err, "syscall", call);
  napi_throw(env, err);
}

static void release(batch_t *b) {
  if (!b->handles_closed || !b->finalized) return;
  free(b);
}

static void on_handle_closed(uv_handle_t *handle) {
  batch_t *b = handle->data;
  if (--b->open_handles > 0) return;
  napi_remove_async_cleanup_hook(b->cleanup);
  b->handles_closed = true;
  release(b);
}

// Stops polling and closes the socket; the struct lives on until libuv and the garbage collector are both done.
static void stop(batch_t *b) {
  if (b->closing) return;
  b->closing = true;
  uv_poll_stop(&b->poll);
  // uv_close forgets the fd synchronously, so closing the fd after it cannot touch a reused descriptor number.
  uv_close((uv_handle_t *)&b->poll, on_handle_closed);
  uv_close((uv_handle_t *)&b->pause, on_handle_closed);
  close(b->fd);
  b->fd = -1;
  napi_delete_reference(b->env, b->callback);
  napi_delete_reference(b->env, b->data_ref);
  napi_delete_reference(b->env, b->meta_ref);
  napi_async_destroy(b->env, b->async);
}

// A worker thread (or the process) ending with the socket open: close it; Node runs the loop until it is closed.
static void on_env_cleanup(napi_async_cleanup_hook_handle handle, void *data) {
  (void)handle;
  stop(data);
}

static void on_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  batch_t *b = data;
  stop(b); // dropped without close(): still no leak
  b->finalized = true;
  release(b);
}

static void fill_meta(batch_t *b, int count) {
  for (int i = 0; i < count; i++) {
    uint32_t *m = b->meta + (size_t)i * META_STRIDE;
    struct msghdr *h = &b->msgs[i].msg_hdr;
    unsigned int length = b->msgs[i].msg_len;
    bool truncated = (h->msg_flags & MSG_TRUNC) != 0 || length > SLOT_BYTES;
    m[0] = length > SLOT_BYTES ? SLOT_BYTES : length;
    m[1] = truncated ? 1 : 0;
    m[4] = 0;
    m[5] = 0;
    memset(&m[6], 0, 16);
    const struct sockaddr_storage *from = &b->from[i];
    if (from->ss_family == AF_INET && h->msg_namelen >= sizeof(struct sockaddr_in)) {
      const struct sockaddr_in *a = (const struct sockaddr_in *)from;
      m[2] = 4;
      m[3] = ntohs(a->sin_port);
      memcpy(&m[6], &a->sin_addr, 4);
    } else if (from->ss_family == AF_INET6 && h->msg_namelen >= sizeof(struct sockaddr_in6)) {
      const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)from;
      m[3] = ntohs(a->sin6_port);
      if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {
        m[2] = 4;
        memcpy(&m[6], &a->sin6_addr.s6_addr[12], 4);
      } else {
        m[2] = 6;
        memcpy(&m[6], &a->sin6_addr, 16);
      }
    } else {
      m[2] = 0;
      m[3] = 0;
    }
    if (h->msg_flags & MSG_CTRUNC) continue;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS && c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
        struct timespec ts;
        memcpy(&ts, CMSG_DATA(c), sizeof ts);
        m[4] = (uint32_t)ts.tv_sec;
        m[5] = (uint32_t)ts.tv_nsec;
      }
    }
  }
}

// True while JavaScript can still be handed batches: not closed, and the buffers not taken away from us.
static bool buffers_ours(batch_t *b) {
  napi_value value;
  bool detached = true;
  if (napi_get_reference_value(b->env, b->data_ref, &value) != napi_ok || !value) return false;
  if (napi_is_detached_arraybuffer(b->env, value, &detached) != napi_ok || detached) return false;
  if (napi_get_reference_value(b->env, b->meta_ref, &value) != napi_ok || !value) return false;
  return napi_is_detached_arraybuffer(b->env, value, &detached) == napi_ok && !detached;
}

static void on_readable(uv_poll_t *handle, int status, int events);

static void on_resume(uv_timer_t *timer) {
  batch_t *b = timer->data;
  if (!b->closing) uv_poll_start(&b->poll, UV_READABLE, on_readable);
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  (void)events;
  batch_t *b = handle->data;
  if (b->closing || status < 0) return;
  napi_env env = b->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  bool drained = true;
  for (int round = 0; round < MAX_ROUNDS && !b->closing; round++) {
    if (!buffers_ours(b)) {
      stop(b);
      break;
    }
    for (int i = 0; i < SLOTS; i++) {
      b->msgs[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_storage);
      b->msgs[i].msg_hdr.msg_controllen = CONTROL_BYTES;
      b->msgs[i].msg_hdr.msg_flags = 0;
      b->msgs[i].msg_len = 0;
    }
    int count = recvmmsg(b->fd, b->msgs, SLOTS, MSG_DONTWAIT, NULL);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) break; // EAGAIN: empty; any other error (an ICMP report) leaves the socket as it is
    fill_meta(b, count);
    napi_value callback, recv, argv[1], result;
    napi_get_reference_value(env, b->callback, &callback);
    napi_get_global(env, &recv);
    napi_create_int32(env, count, &argv[0]);
    if (napi_make_callback(env, b->async, recv, callback, 1, argv, &result) == napi_pending_exception) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error); // the process's uncaughtException, as for any callback
      break;
    }
    if (count < SLOTS) break;
    drained = round + 1 < MAX_ROUNDS;
  }
  napi_close_handle_scope(env, scope);
  if (drained && !b->closing) {
    uv_poll_stop(&b->poll);
    uv_timer_start(&b->pause, on_resume, PAUSE_MS, 0);
  }
}

static napi_value arg_error(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

// open(address, port, receiveBufferBytes, onBatch(count)) → { handle, data: ArrayBuffer, meta: ArrayBuffer }
static napi_value open_socket(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char address[64];
  size_t address_length = 0;
  int32_t port = 0, receive_buffer = 0;
  napi_valuetype type;
  if (argc < 4 || napi_get_value_string_utf8(env, argv[0], address, sizeof address, &address_length) != napi_ok)
    return arg_error(env, "open(address, port, receiveBufferBytes, onBatch)");
  if (napi_get_value_int32(env, argv[1], &port) != napi_ok || port < 0 || port > 65535)
    return arg_error(env, "port must be 0..65535");
  if (napi_get_value_int32(env, argv[2], &receive_buffer) != napi_ok || receive_buffer < 0)
    return arg_error(env, "receiveBufferBytes must be a non-negative integer");
  if (napi_typeof(env, argv[3], &type) != napi_ok || type != napi_function) return arg_error(env, "onBatch must be a function");

  struct sockaddr_storage bind_address;
  socklen_t bind_length;
  memset(&bind_address, 0, sizeof bind_address);
  struct sockaddr_in *v4 = (struct sockaddr_in *)&bind_address;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&bind_address;
  if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t)port);
    bind_length = sizeof *v4;
  } else if (inet_pton(AF_INET6, address, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    bind_length = sizeof *v6;
  } else
    return arg_error(env, "address must be an IPv4 or IPv6 literal");

  int fd = socket(bind_address.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw_errno(env, "socket", errno);
    return NULL;
  }
  int on = 1;
  if (receive_buffer > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer) < 0) {
    int error = errno;
    close(fd);
    throw_errno(env, "setsockopt", error);
    return NULL;
  }
  // Best effort: without it, JavaScript stamps arrival itself.
  setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  if (bind(fd, (struct sockaddr *)&bind_address, bind_length) < 0) {
    int error = errno;
    close(fd);
    throw_errno(env, "bind", error);
    return NULL;
  }

  batch_t *b = calloc(1, sizeof *b);
  if (!b) {
    close(fd);
    throw_errno(env, "calloc", ENOMEM);
    return NULL;
  }
  b->fd = fd;
  b->env = env;
  napi_value data, meta, handle, result, name;
  void *data_bytes = NULL, *meta_bytes = NULL;
  struct uv_loop_s *loop = NULL;
  if (napi_create_arraybuffer(env, (size_t)SLOTS * SLOT_BYTES, &data_bytes, &data) != napi_ok ||
      napi_create_arraybuffer(env, (size_t)SLOTS * META_STRIDE * sizeof(uint32_t), &meta_bytes, &meta) != napi_ok ||
      napi_get_uv_event_loop(env, &loop) != napi_ok || uv_poll_init(loop, &b->poll, fd) != 0) {
    close(fd);
    free(b);
    throw_errno(env, "open", ENOMEM);
    return NULL;
  }
  b->data = data_bytes;
  b->meta = meta_bytes;
  uv_timer_init(loop, &b->pause);
  b->open_handles = 2;
  b->poll.data = b;
  b->pause.data = b;
  for (int i = 0; i < SLOTS; i++) {
    b->iov[i].iov_base = b->data + (size_t)i * SLOT_BYTES;
    b->iov[i].iov_len = SLOT_BYTES;
    struct msghdr *h = &b->msgs[i].msg_hdr;
    h->msg_iov = &b->iov[i];
    h->msg_iovlen = 1;
    h->msg_name = &b->from[i];
    h->msg_control = b->control[i].bytes;
  }
  napi_create_reference(env, argv[3], 1, &b->callback);
  napi_create_reference(env, data, 1, &b->data_ref);
  napi_create_reference(env, meta, 1, &b->meta_ref);
  napi_create_string_utf8(env, "udp-batch", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &b->async);
  napi_create_external(env, b, on_finalize, NULL, &handle);
  napi_add_async_cleanup_hook(env, on_env_cleanup, b, &b->cleanup);
  uv_poll_start(&b->poll, UV_READABLE, on_readable);
  uv_unref((uv_handle_t *)&b->poll); // like socket.unref(): a listener alone does not keep the process up
  uv_unref((uv_handle_t *)&b->pause);

  napi_create_object(env, &result);
  napi_set_named_property(env, result, "handle", handle);
  napi_set_named_property(env, result, "data", data);
  napi_set_named_property(env, result, "meta", meta);
  return result;
}

static batch_t *handle_arg(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data = NULL;
  napi_valuetype type;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_external ||
      napi_get_value_external(env, argv[0], &data) != napi_ok || !data) {
    napi_throw_type_error(env, NULL, "expected a handle from open()");
    return NULL;
  }
  return data;
}

// info(handle) → [port, receiveBufferBytes] as the kernel has them.
static napi_value socket_info(napi_env env, napi_callback_info info) {
  batch_t *b = handle_arg(env, info);
  if (!b) return NULL;
  if (b->closing) {
    throw_errno(env, "getsockname", EBADF);
    return NULL;
  }
  struct sockaddr_storage local;
  socklen_t length = sizeof local;
  int size = 0;
  socklen_t size_length = sizeof size;
  if (getsockname(b->fd, (struct sockaddr *)&local, &length) < 0 ||
      getsockopt(b->fd, SOL_SOCKET, SO_RCVBUF, &size, &size_length) < 0) {
    throw_errno(env, "getsockname", errno);
    return NULL;
  }
  uint16_t port = local.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&local)->sin6_port)
                                              : ntohs(((struct sockaddr_in *)&local)->sin_port);
  napi_value result, value;
  napi_create_array_with_length(env, 2, &result);
  napi_create_uint32(env, port, &value);
  napi_set_element(env, result, 0, value);
  napi_create_int32(env, size, &value);
  napi_set_element(env, result, 1, value);
  return result;
}

static napi_value close_socket(napi_env env, napi_callback_info info) {
  batch_t *b = handle_arg(env, info);
  if (b) stop(b);
  return NULL;
}

static napi_value constant(napi_env env, uint32_t n) {
  napi_value value;
  napi_create_uint32(env, n, &value);
  return value;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[] = {
      {"open", NULL, open_socket, NULL, NULL, NULL, napi_enumerable, NULL},
      {"info", NULL, socket_info, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, close_socket, NULL, NULL, NULL, napi_enumerable, NULL},
      {"slots", NULL, NULL, NULL, NULL, constant(env, SLOTS), napi_enumerable, NULL},
      {"slotBytes", NULL, NULL, NULL, NULL, constant(env, SLOT_BYTES), napi_enumerable, NULL},
      {"metaStride", NULL, NULL, NULL, NULL, constant(env, META_STRIDE), napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}

/* The bench's sensors, as cheap as a sender can be: they stand in for other machines, whose CPU is not this
 * machine's, so every microsecond spent here is taken from the host being measured. Node's dgram costs ~6 µs of
 * user time per datagram (half a core at 50k/s); a plain sendto(2) loop costs a tenth of that.
 *
 * usage: udp-blast PORT RATE SECONDS FILE
 * FILE holds the datagrams to send in turn, each as: u32 source IPv4 (network order, 0 = any), u16 offset of a
 * 32-bit sequence number to write into it (big-endian), u16 length, then its bytes. Sends RATE datagrams a second
 * to 127.0.0.1:PORT for SECONDS, in 1 ms bursts, and prints {"sent":N,"seconds":S}. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct datagram {
  int fd;
  uint16_t seq_at;
  uint16_t len;
  unsigned char *bytes;
};

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: udp-blast PORT RATE SECONDS FILE\n");
    return 2;
  }
  int port = atoi(argv[1]);
  double rate = atof(argv[2]), seconds = atof(argv[3]);
  FILE *in = fopen(argv[4], "rb");
  if (!in) die(argv[4]);
  struct datagram *list = NULL;
  size_t count = 0;
  unsigned char head[8];
  while (fread(head, 1, 8, in) == 8) {
    struct datagram d;
    uint32_t source;
    memcpy(&source, head, 4);
    d.seq_at = (uint16_t)(head[4] << 8 | head[5]);
    d.len = (uint16_t)(head[6] << 8 | head[7]);
    d.bytes = malloc(d.len);
    if (!d.bytes || fread(d.bytes, 1, d.len, in) != d.len || d.seq_at + 4u > d.len) die("datagram file");
    d.fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (d.fd < 0) die("socket");
    int size = 8 << 20;
    setsockopt(d.fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    struct sockaddr_in from = {.sin_family = AF_INET, .sin_addr.s_addr = source};
    if (source && bind(d.fd, (struct sockaddr *)&from, sizeof from) < 0) die("bind");
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(d.fd, (struct sockaddr *)&to, sizeof to) < 0) die("connect");
    list = realloc(list, (count + 1) * sizeof *list);
    if (!list) die("realloc");
    list[count++] = d;
  }
  if (count == 0) die("no datagrams");
  uint64_t total = (uint64_t)(rate * seconds + 0.5), sent = 0;
  double started = now();
  while (sent < total) {
    uint64_t due = (uint64_t)((now() - started) * rate);
    if (due > total) due = total;
    for (; sent < due; sent++) {
      struct datagram *d = &list[sent % count];
      uint32_t seq = htonl((uint32_t)sent);
      memcpy(d->bytes + d->seq_at, &seq, 4);
      send(d->fd, d->bytes, d->len, 0); /* a full buffer or a refused port: the receiver's loss, counted there */
    }
    struct timespec pause = {0, 1000000};
    nanosleep(&pause, NULL);
  }
  printf("{\"sent\":%llu,\"seconds\":%.3f}\n", (unsigned long long)sent, now() - started);
  return 0;
}

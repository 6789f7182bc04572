/* The bench's sensors, as cheap as a sender can be: they stand in for other machines, whose CPU is not this
 * machine's, so every microsecond spent here is taken from the host being measured. Node's dgram costs ~6 µs of
 * user time per datagram (half a core at 50k/s); a plain sendto(2) loop costs a tenth of that.
 *
 * usage: udp-blast PORT RATE SECONDS FILE
 * FILE holds the datagrams to send in turn, each as: u32 source IPv4 (network order, 0 = any), u16 offset of a
 * 32-bit sequence number to write into it (big-endian), u16 length, then its bytes. Sends RATE datagrams a second
 * to 127.0.0.1:PORT for SECONDS, in 1 ms bursts, and prints {"sent":N,"seconds":S,"slipped":L}.
 *
 * A sender kept off the CPU (it shares the machine with what it measures) does not make up for it with one burst
 * at many times the rate: 200 ms late at 50k/s would be 10,000 datagrams in a few ms, which no sensor on a network
 * sends and which overflows any receive buffer. At most 20 ms of the schedule goes at once (1,000 datagrams at
 * 50k/s; a sleep under load often wakes a few ms late, so a tighter bound would slow the run by seconds); the rest
 * of the delay moves the schedule on, and L says by how many seconds in all. */
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
  const double max_burst = 0.02;
  double started = now(), slipped = 0;
  while (sent < total) {
    double elapsed = now() - started - slipped, behind = elapsed - sent / rate;
    if (behind > max_burst) {
      slipped += behind - max_burst;
      elapsed -= behind - max_burst;
    }
    uint64_t due = (uint64_t)(elapsed * rate);
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
  printf("{\"sent\":%llu,\"seconds\":%.3f,\"slipped\":%.3f}\n", (unsigned long long)sent, now() - started, slipped);
  return 0;
}

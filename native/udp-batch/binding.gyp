# The UDP batch receive addon (Linux only): plain C against Node-API, so one binary loads in Node and Electron.
# Built by main/build/build.ts with the node-gyp in node_modules and headers already on disk (--nodedir).
{
  "targets": [
    {
      "target_name": "udp_batch",
      "sources": ["udp-batch.c"],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-fvisibility=hidden"]
    }
  ]
}

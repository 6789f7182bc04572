#!/bin/sh
# deb post-install: put the `lanyard` CLI on PATH (the desktop entry runs lanyard-app).
ln -sf '/opt/${productFilename}/resources/resources/bin/lanyard' /usr/bin/lanyard
ln -sf '/opt/${productFilename}/lanyard-app' /usr/bin/lanyard-app

#!/bin/sh
# deb post-remove: take away the links linux-after-install.sh made.
rm -f /usr/bin/lanyard /usr/bin/lanyard-app

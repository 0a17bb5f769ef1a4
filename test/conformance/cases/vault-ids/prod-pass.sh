#!/bin/sh
# a vault password script: ansible runs it and reads the password from stdout
echo prod-pass-2

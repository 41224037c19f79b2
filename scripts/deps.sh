#!/usr/bin/env bash
# Installs the Debian packages Mileo Extract needs, only those missing.
# Usage: scripts/deps.sh [build|test]   (test adds the tools the tests drive)
set -euo pipefail
build=(pkg-config opencv-data
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-videoio-dev
  libopencv-highgui-dev libopencv-objdetect-dev libopencv-dnn-dev libopencv-video-dev
  libopencv-calib3d-dev libopencv-features2d-dev libopencv-flann-dev libopencv-photo-dev
  libopencv-ml-dev libopencv-stitching-dev
  libavcodec-dev libavformat-dev libavfilter-dev libavutil-dev libavdevice-dev
  libswscale-dev libswresample-dev
  libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
  xvfb fonts-dejavu-core)
test=(ffmpeg p7zip-full libarchive-tools poppler-utils imagemagick x11-apps sqlite3 time bc postgresql)
want=("${build[@]}")
[ "${1:-build}" = test ] && want+=("${test[@]}")
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

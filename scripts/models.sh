#!/usr/bin/env bash
# Puts the face detector models in ./models (git-ignored), checked against pinned sha256.
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

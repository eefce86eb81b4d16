#!/bin/sh
# Downloads DJL's CUDA build of libtorch into DEST at image build time, for the exact PyTorch version of the app's
# pytorch-jni jar, and puts that jar's JNI bridge for the same flavor next to it. At run time PYTORCH_LIBRARY_PATH=DEST
# makes DJL load this libtorch instead of the CPU one bundled in the app; the apps run with ai.djl.offline=true, so
# nothing may be downloaded then. DJL no longer publishes CUDA builds of PyTorch 2.7 to Maven Central; they are on
# publish.djl.ai, the site DJL itself downloads from when online.
#
#   fetch-libtorch.sh PYTORCH_JNI_JAR FLAVOR DEST      e.g. …/ai.djl.pytorch.pytorch-jni-2.7.1-0.36.0.jar cu128 /opt/libtorch
set -eu
jni_jar=$1
flavor=$2
dest=$3

# ai.djl.pytorch.pytorch-jni-2.7.1-0.36.0.jar → 2.7.1
version=$(basename "$jni_jar" .jar | sed -n 's/^ai\.djl\.pytorch\.pytorch-jni-\([0-9][0-9.]*\)-[0-9.]*$/\1/p')
[ -n "$version" ] || { echo "not a pytorch-jni jar: $jni_jar" >&2; exit 1; }
base="https://publish.djl.ai/pytorch/$version"

curl -fsSL "$base/files.txt" -o /tmp/libtorch-files.txt
grep "^$flavor/linux-x86_64/native/lib/" /tmp/libtorch-files.txt > /tmp/libtorch-wanted.txt \
  || { echo "DJL publishes no $flavor build of libtorch $version" >&2; exit 1; }

mkdir -p "$dest"
while read -r file; do
  # The index URL-encodes '+' in file names, as DJL's own downloader expects.
  name=$(basename "$file" .gz | sed 's/%2B/+/g')
  curl -fsSL "$base/$file" | gunzip > "$dest/$name"
done < /tmp/libtorch-wanted.txt
[ -f "$dest/libtorch.so" ] || { echo "no libtorch.so in the $flavor build of libtorch $version" >&2; exit 1; }

unzip -j -o "$jni_jar" "jnilib/linux-x86_64/$flavor/libdjl_torch.so" -d "$dest"

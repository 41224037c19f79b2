# Source this to build cgo packages by hand: . scripts/goenv.sh
export CGO_CPPFLAGS="-I/usr/include/opencv4"
export CGO_CXXFLAGS="-std=c++11"
export CGO_LDFLAGS="-lopencv_core -lopencv_imgproc -lopencv_imgcodecs -lopencv_videoio -lopencv_highgui -lopencv_objdetect -lopencv_dnn -lopencv_video -lopencv_calib3d -lopencv_features2d -lopencv_photo"
export GOFLAGS="-tags=customenv"

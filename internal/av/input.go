package av

import (
	"errors"
	"fmt"
	"io"

	"github.com/asticode/go-astiav"
)

// FFmpeg's seek flags (libavformat/avio.h).
const (
	avseekSize  = 0x10000
	avseekForce = 0x20000
)

// Demuxers FFmpeg may use (format_whitelist): ClipFormats for bytes
// handed by a source (clips, working copies), FileFormats for files on
// disk. Neither holds a demuxer that opens other files or addresses.
const (
	ClipFormats = "mov,matroska,mpegts"
	FileFormats = ClipFormats + ",avi,flv,asf,gif,h264,hevc,mjpeg"
)

// input is an opened container.
type input struct {
	path  string
	fc    *astiav.FormatContext
	ioc   *astiav.IOContext
	video *astiav.Stream
	audio bool
}

// openInput opens path, or reads from ra when it is not nil (path is then
// only a name for errors).
func openInput(path string, ra io.ReaderAt, size int64) (*input, error) {
	if path == "" && ra == nil {
		return nil, wrap("open", path, errors.New("no file given"))
	}
	in := &input{path: path, fc: astiav.AllocFormatContext()}
	if in.fc == nil {
		return nil, wrap("open", path, errors.New("cannot allocate format context"))
	}
	if ra != nil {
		var off int64
		ioc, err := astiav.AllocIOContext(1<<16, false, func(b []byte) (int, error) {
			if off >= size {
				return 0, astiav.ErrEof
			}
			n, err := ra.ReadAt(b, off)
			off += int64(n)
			if n > 0 {
				return n, nil
			}
			if err == io.EOF || err == nil {
				return 0, astiav.ErrEof
			}
			return 0, err
		}, func(offset int64, whence int) (int64, error) {
			if whence&avseekSize != 0 {
				return size, nil // a size query does not move
			}
			switch whence &^ avseekForce {
			case io.SeekStart:
				off = offset
			case io.SeekCurrent:
				off += offset
			case io.SeekEnd:
				off = size + offset
			default:
				return 0, astiav.ErrEio
			}
			return off, nil
		}, nil)
		if err != nil {
			in.fc.Free()
			return nil, wrap("open", path, err)
		}
		in.ioc = ioc
		in.fc.SetPb(ioc)
		in.fc.SetFlags(in.fc.Flags().Add(astiav.FormatContextFlagCustomIo))
		path = ""
	}
	opts := astiav.NewDictionary()
	defer opts.Free()
	// What a recording may be: never a playlist or a script that opens
	// other files or addresses (hls, concat, dash, image2…), and nothing
	// but local files as protocol (R-EXP-3: bounded sources).
	formats := FileFormats
	if ra != nil {
		formats = ClipFormats
	}
	_ = opts.Set("format_whitelist", formats, 0)
	_ = opts.Set("protocol_whitelist", "file", 0)
	if err := in.fc.OpenInput(path, nil, opts); err != nil {
		in.free(false)
		return nil, wrap("open", in.path, fmt.Errorf("%w (%v)", ErrUnreadable, err))
	}
	if err := in.fc.FindStreamInfo(nil); err != nil {
		in.close()
		return nil, wrap("read stream info of", in.path, fmt.Errorf("%w (%v)", ErrUnreadable, err))
	}
	for _, s := range in.fc.Streams() {
		switch s.CodecParameters().MediaType() {
		case astiav.MediaTypeVideo:
			if in.video == nil {
				in.video = s
			}
		case astiav.MediaTypeAudio:
			in.audio = true
		}
	}
	if in.video == nil {
		in.close()
		return nil, wrap("open", in.path, ErrNoVideo)
	}
	return in, nil
}

func (in *input) info() Info {
	cp := in.video.CodecParameters()
	fr := in.video.AvgFrameRate()
	if fr.Num() == 0 || fr.Den() == 0 {
		fr = in.video.RFrameRate()
	}
	inf := Info{
		Codec:     cp.CodecID().Name(),
		Width:     cp.Width(),
		Height:    cp.Height(),
		FrameRate: fromAV(fr),
		Frames:    in.video.NbFrames(),
		HasAudio:  in.audio,
	}
	if f := in.fc.InputFormat(); f != nil {
		inf.Format = f.Name()
	}
	if d := in.video.Duration(); d > 0 {
		inf.Duration = dur(d, in.video.TimeBase())
	} else if d := in.fc.Duration(); d > 0 {
		inf.Duration = dur(d, astiav.NewRational(1, 1000000))
	}
	if inf.Frames <= 0 && inf.FrameRate.Den != 0 {
		inf.Frames = int64(inf.Duration.Seconds()*inf.FrameRate.Float() + 0.5)
	}
	return inf
}

func (in *input) close() { in.free(true) }

func (in *input) free(opened bool) {
	if opened {
		in.fc.CloseInput()
	}
	in.fc.Free()
	if in.ioc != nil {
		in.ioc.Free()
	}
}

// Probe reads the container and returns the video stream's description
// without decoding it.
func Probe(path string) (Info, error) {
	in, err := openInput(path, nil, 0)
	if err != nil {
		return Info{}, err
	}
	defer in.close()
	return in.info(), nil
}

// ProbeInput is Probe on an Input (a file, or bytes that are not one).
func ProbeInput(i Input) (Info, error) {
	in, err := openInput(i.Path, i.ReaderAt, i.Size)
	if err != nil {
		return Info{}, err
	}
	defer in.close()
	return in.info(), nil
}

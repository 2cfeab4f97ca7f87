package io.github.knetj.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.JCudaDriver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A page-locked host buffer through which every host copy goes. Uploads are asynchronous: the Java array is copied
 * into the buffer and the DMA is queued on the stream, and only the next use of the buffer waits for that copy
 * to finish (an event), so uploading does not stall the queue. Downloads wait for the stream, as they must.
 * The buffer grows to the largest copy seen.
 */
final class Staging {
    private final CudaContext cuda;
    private final CUevent copied = new CUevent();
    private Pointer host;
    private ByteBuffer buffer;
    private long capacity;
    private boolean pending;

    Staging(CudaContext cuda) {
        this.cuda = cuda;
        JCudaDriver.cuEventCreate(copied, CUevent_flags.CU_EVENT_DISABLE_TIMING);
    }

    /** The buffer, cleared, with room for {@code bytes}, once the last upload from it has finished. */
    private ByteBuffer reserve(long bytes) {
        cuda.makeCurrent();
        if (pending) {
            JCudaDriver.cuEventSynchronize(copied);
            pending = false;
        }
        if (bytes > capacity) {
            if (host != null) JCudaDriver.cuMemFreeHost(host);
            capacity = Math.max(bytes, Math.max(1 << 20, capacity * 2));
            host = new Pointer();
            JCudaDriver.cuMemHostAlloc(host, capacity, 0);
            buffer = host.getByteBuffer(0, capacity).order(ByteOrder.nativeOrder());
        }
        buffer.clear();
        return buffer;
    }

    private void send(CUdeviceptr dst, long bytes) {
        JCudaDriver.cuMemcpyHtoDAsync(dst, host, bytes, cuda.stream());
        JCudaDriver.cuEventRecord(copied, cuda.stream());
        pending = true;
    }

    synchronized void upload(CUdeviceptr dst, float[] data) {
        if (data.length == 0) return;
        reserve(data.length * 4L).asFloatBuffer().put(data);
        send(dst, data.length * 4L);
    }

    /** float64 data written as float32 (narrowed) or float64. */
    synchronized void upload(CUdeviceptr dst, double[] data, boolean asFloat) {
        if (data.length == 0) return;
        long bytes = data.length * (asFloat ? 4L : 8L);
        ByteBuffer b = reserve(bytes);
        if (asFloat) {
            java.nio.FloatBuffer f = b.asFloatBuffer();
            for (double v : data) f.put((float) v);
        } else {
            b.asDoubleBuffer().put(data);
        }
        send(dst, bytes);
    }

    synchronized void upload(CUdeviceptr dst, int[] data) {
        if (data.length == 0) return;
        reserve(data.length * 4L).asIntBuffer().put(data);
        send(dst, data.length * 4L);
    }

    /** Copies {@code bytes} from the device once all queued work is done; the result is valid until the next call. */
    private ByteBuffer download(CUdeviceptr src, long bytes) {
        ByteBuffer b = reserve(bytes);
        JCudaDriver.cuMemcpyDtoHAsync(host, src, bytes, cuda.stream());
        JCudaDriver.cuStreamSynchronize(cuda.stream());
        return b;
    }

    synchronized float[] downloadFloats(CUdeviceptr src, int n) {
        float[] out = new float[n];
        if (n > 0) download(src, n * 4L).asFloatBuffer().get(out);
        return out;
    }

    synchronized double[] downloadDoubles(CUdeviceptr src, int n) {
        double[] out = new double[n];
        if (n > 0) download(src, n * 8L).asDoubleBuffer().get(out);
        return out;
    }

    synchronized int[] downloadInts(CUdeviceptr src, int n) {
        int[] out = new int[n];
        if (n > 0) download(src, n * 4L).asIntBuffer().get(out);
        return out;
    }
}

package io.citypulse.bench;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The output "serializer" of an operator harness in a benchmark: its copy is the record itself. The
 * harness copies every output record with the output serializer; in a job the gate's output goes to
 * a chained operator with object reuse on, uncopied, so a deep copy there would measure the
 * harness, not the operator. Nothing is serialized: every other method refuses.
 */
final class SameObject<T> extends TypeSerializer<T> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        return this;
    }

    @Override
    public T createInstance() {
        throw new UnsupportedOperationException();
    }

    @Override
    public T copy(T from) {
        return from;
    }

    @Override
    public T copy(T from, T reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public T deserialize(DataInputView source) {
        throw new UnsupportedOperationException();
    }

    @Override
    public T deserialize(T reuse, DataInputView source) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof SameObject;
    }

    @Override
    public int hashCode() {
        return SameObject.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        throw new UnsupportedOperationException();
    }
}

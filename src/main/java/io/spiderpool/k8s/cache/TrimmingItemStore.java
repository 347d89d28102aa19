// SPDX-License-Identifier: Apache-2.0
package io.spiderpool.k8s.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's item store that keeps a trimmed copy of each object: only what its readers use
 * (docs/performance.md, "Memory of a node daemon"). The informer still hands the full objects to
 * its event handlers; what {@code getStore()} returns is the trimmed copy, so a trim must keep
 * every field the store's readers read, and always {@code metadata.name}, {@code namespace}, {@code
 * uid} and {@code resourceVersion} (the informer compares resource versions to tell an update from
 * a resync).
 */
public final class TrimmingItemStore<T extends HasMetadata> implements ItemStore<T> {
  private final BasicItemStore<T> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final UnaryOperator<T> trim;

  /**
   * @param trim builds the copy to keep; never changes its argument (the informer's handlers may
   *     still read it)
   */
  public TrimmingItemStore(UnaryOperator<T> trim) {
    this.trim = trim;
  }

  /**
   * The object's metadata without {@code managedFields}, which no reader of a cache needs (on a Pod
   * they are often larger than the rest of its metadata). A shallow copy: the lists and maps are
   * the original's.
   */
  public static ObjectMeta withoutManagedFields(ObjectMeta meta) {
    if (meta == null || meta.getManagedFields() == null || meta.getManagedFields().isEmpty()) {
      return meta;
    }
    ObjectMeta m = new ObjectMeta();
    m.setName(meta.getName());
    m.setGenerateName(meta.getGenerateName());
    m.setNamespace(meta.getNamespace());
    m.setUid(meta.getUid());
    m.setResourceVersion(meta.getResourceVersion());
    m.setGeneration(meta.getGeneration());
    m.setCreationTimestamp(meta.getCreationTimestamp());
    m.setDeletionTimestamp(meta.getDeletionTimestamp());
    m.setDeletionGracePeriodSeconds(meta.getDeletionGracePeriodSeconds());
    m.setLabels(meta.getLabels());
    m.setAnnotations(meta.getAnnotations());
    m.setOwnerReferences(meta.getOwnerReferences());
    m.setFinalizers(meta.getFinalizers());
    m.setSelfLink(meta.getSelfLink());
    return m;
  }

  @Override
  public String getKey(T obj) {
    return items.getKey(obj);
  }

  @Override
  public T put(String key, T obj) {
    return items.put(key, obj == null ? null : trim.apply(obj));
  }

  @Override
  public T remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet();
  }

  @Override
  public Stream<T> values() {
    return items.values();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public T get(String key) {
    return items.get(key);
  }
}

/**
 * A path to a field, printed as Kubernetes prints it in `Invalid` causes:
 * `spec.template.spec.containers[0].image`, `data[tls.crt]`.
 */
export class FieldPath {
  private constructor(private readonly text: string) {}

  /** A path starting at `names` (e.g. `FieldPath.root('spec', 'template')`). */
  static root(...names: string[]): FieldPath {
    return new FieldPath(names.join('.'));
  }

  /** A nested field. */
  child(...names: string[]): FieldPath {
    const tail = names.join('.');
    return new FieldPath(this.text === '' ? tail : `${this.text}.${tail}`);
  }

  /** An element of a list. */
  index(i: number): FieldPath {
    return new FieldPath(`${this.text}[${i}]`);
  }

  /** An entry of a map. */
  key(k: string): FieldPath {
    return new FieldPath(`${this.text}[${k}]`);
  }

  toString(): string {
    return this.text;
  }
}

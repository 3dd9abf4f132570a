import { useEffect, type ReactNode, type RefObject } from 'react';

export function Screen({
  title,
  headingRef,
  children,
  before,
}: {
  title: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
  children: ReactNode;
  /** Shown above the heading, such as a link back to the page this one belongs to. */
  before?: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} — Paddock`;
  }, [title]);
  return (
    <section className="screen" aria-labelledby="screen-title">
      {before}
      <h1 id="screen-title" ref={headingRef} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </section>
  );
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

export function LoadError({ message }: { message: string }) {
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

/** A link back up, above a page's heading ("← Runners"). */
export function BackLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <p className="back-link">
      <a href={href}>
        <span aria-hidden="true">← </span>
        {children}
      </a>
    </p>
  );
}

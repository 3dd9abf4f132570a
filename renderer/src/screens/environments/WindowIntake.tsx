import { useEffect, useRef, useState } from 'react';
import { carriesLink, isEditableTarget, linkFromTransfer, textFromPaste } from './intake';

/** A URL that arrived by paste or drop; `key` tells two arrivals of the same text apart. */
export interface Arrival {
  url: string;
  via: 'paste' | 'drop';
  key: number;
}

/**
 * The window's own intake (issue 10, E2): Ctrl/Cmd+V outside any field, and
 * a link dragged onto the window. Either hands its text to `onArrival` (which
 * brings the Environments screen forward). Nothing dropped ever navigates the
 * window: dragover and drop are always taken here (the Electron window does
 * not navigate on drop either, electron/main/windows.ts, security.ts). While
 * a link is dragged over the window, the drop target is shown.
 */
export function WindowIntake({ onArrival }: { onArrival: (arrival: Arrival) => void }) {
  const [dragging, setDragging] = useState(false);
  const arrive = useRef(onArrival);
  useEffect(() => {
    arrive.current = onArrival;
  });

  useEffect(() => {
    let key = 0;
    /** dragenter/dragleave fire for every element crossed: count them to know when the drag left the window. */
    let depth = 0;
    const onPaste = (event: ClipboardEvent) => {
      if (event.defaultPrevented || isEditableTarget(event.target) || isEditableTarget(document.activeElement)) return;
      // A dialog open (connecting, deleting) is not left for a paste.
      if (document.querySelector('dialog[open]')) return;
      const text = textFromPaste(event.clipboardData);
      if (text === null) return;
      event.preventDefault();
      arrive.current({ url: text, via: 'paste', key: ++key });
    };
    const onDragEnter = (event: DragEvent) => {
      event.preventDefault();
      depth += 1;
      if (carriesLink(event.dataTransfer)) setDragging(true);
    };
    const onDragOver = (event: DragEvent) => {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = carriesLink(event.dataTransfer) ? 'copy' : 'none';
    };
    const onDragLeave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      event.preventDefault();
      depth = 0;
      setDragging(false);
      // Nor for a drop: the dialog's answer stays with what it was opened for.
      if (document.querySelector('dialog[open]')) return;
      const text = linkFromTransfer(event.dataTransfer);
      if (text !== null) arrive.current({ url: text, via: 'drop', key: ++key });
    };
    const onDragEnd = () => {
      depth = 0;
      setDragging(false);
    };
    document.addEventListener('paste', onPaste);
    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    window.addEventListener('dragend', onDragEnd);
    return () => {
      document.removeEventListener('paste', onPaste);
      window.removeEventListener('dragenter', onDragEnter);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('dragend', onDragEnd);
    };
  }, []);

  return (
    // Always present, so that the words are announced when a drag begins.
    <div role="status" className={dragging ? 'drop-overlay drop-overlay-active' : 'drop-overlay'}>
      {dragging && (
        <div className="drop-target">
          <p className="drop-title">Drop a repository link to create an environment</p>
          <p className="drop-hint">A repository, branch, tag, commit or pull request URL</p>
        </div>
      )}
    </div>
  );
}

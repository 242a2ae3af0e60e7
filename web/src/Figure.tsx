import { type FigureKind, formatFigure } from './format/formatFigure.js'

/**
 * An exact figure: the display text, with the API's exact decimal string kept in `<data value>`
 * (and its title), so nothing is lost and tests can compare it with the API's answer.
 */
export function Figure(props: { value: string | null | undefined; kind: FigureKind; testId?: string }) {
  const exact = props.value ?? ''
  return (
    <data value={exact} title={exact === '' ? 'no value' : exact} data-testid={props.testId}>
      {formatFigure(props.value, props.kind)}
    </data>
  )
}

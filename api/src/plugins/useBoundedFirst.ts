import { type ASTNode, type ASTVisitor, GraphQLError, Kind, type ValidationContext, visit } from 'graphql'
import type { Plugin } from 'graphql-yoga'

/**
 * A validation rule that refuses a literal `first` outside 1..max on any field, with the same
 * clear message the connections give for variables, before anything executes and before the
 * generic cost-limit error a huge `first` would otherwise produce.
 *
 * @param max - the largest page size.
 * @returns a graphql-yoga plugin.
 * @example
 * ```ts
 * createYoga({ schema, plugins: [useBoundedFirst(100)] })
 * ```
 */
export function useBoundedFirst(max: number): Plugin {
  const rule = (_context: ValidationContext): ASTVisitor => {
    // Checked on entering each definition (not per argument) so that the error is reported
    // before graphql-armor's cost rule, which aborts validation on that same node.
    const check = (definition: ASTNode): undefined => {
      visit(definition, {
        Argument(node) {
          if (node.name.value !== 'first' || node.value.kind !== Kind.INT) return
          const first = Number(node.value.value)
          if (first >= 1 && first <= max) return
          // Thrown, as graphql-armor's rules do, so validation stops here with this one clear error.
          throw new GraphQLError(
            `\`first\` is out of range. first: ${node.value.value}; allowed 1 to ${max}.`,
            {
              nodes: [node],
              extensions: {
                code: 'BAD_USER_INPUT',
                hints: ['Page through longer lists with `after: pageInfo.endCursor`.'],
              },
            },
          )
        },
      })
      // Nothing returned: a value would replace the node for every other rule of this pass.
      return undefined
    }
    return { OperationDefinition: check, FragmentDefinition: check }
  }
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule)
    },
  }
}
